import Foundation
import LLM
import TestSupport
import Tokenizers
import XCTest

/// A session reuses its cached prefix without changing answers.
final class GenerationSessionTests: XCTestCase {
    func testAReusedPrefixGivesTheFreshAnswer() throws {
        let lm = try BatchEngineTests.model.get()
        let ids = lm.encodePrompt(try lm.renderChat([ChatMessage(role: "user", content: "Which organ makes insulin?")]))
        let fresh = try GenerationSession(languageModel: lm).generate(prompt: ids, maxTokens: 12, sampling: .greedy)
        let session = GenerationSession(languageModel: lm)
        try session.generate(prompt: ids, maxTokens: 12, sampling: .greedy)
        let again = try session.generate(prompt: ids, maxTokens: 12, sampling: .greedy)
        XCTAssertEqual(again.prefillTokens, 2, "all but the last two prompt tokens come from the cache")
        XCTAssertEqual(again.tokens, fresh.tokens)
        XCTAssertEqual(again.text, fresh.text)
    }
}
