import MedQA
import Tokenizers
import XCTest

final class PromptBuilderTests: XCTestCase {
    let question = Question(
        id: "q1", benchmark: "medqa", text: "Which drug causes yellow vision?",
        options: [Option(letter: "A", text: "Amiodarone"), Option(letter: "B", text: "Digoxin"), Option(letter: "C", text: "Diltiazem")],
        answer: "B")

    func testDirectPromptIsOneUserTurnWithLetteredOptions() {
        let prompt = PromptBuilder(mode: .direct).prompt(for: question)
        XCTAssertEqual(prompt.messages.count, 1)
        XCTAssertEqual(prompt.messages[0].role, "user")
        XCTAssertFalse(prompt.continuesFinalMessage)
        XCTAssertEqual(prompt.messages[0].content, """
            Which drug causes yellow vision?

            A. Amiodarone
            B. Digoxin
            C. Diltiazem

            \(PromptWording.directInstruction)
            """)
    }

    func testReasoningModeAsksForTheExtractableFormat() {
        let content = PromptBuilder(mode: .reasoning).prompt(for: question).messages[0].content
        XCTAssertTrue(content.hasSuffix(PromptWording.reasoningInstruction))
        XCTAssertTrue(content.contains("The answer is X"))
        // What the instructions ask for is what the extractor reads as an explicit answer.
        let options = question.options
        XCTAssertEqual(AnswerExtractor().extract("The answer is B", options: options)?.rule.tier, 1)
        XCTAssertEqual(AnswerExtractor().extract("Answer: B", options: options)?.rule.tier, 1)
    }

    func testPromptHashDependsOnModeAndIsStable() {
        XCTAssertEqual(PromptBuilder(mode: .direct).promptHash, PromptBuilder(mode: .direct, seed: 9).promptHash)
        XCTAssertNotEqual(PromptBuilder(mode: .direct).promptHash, PromptBuilder(mode: .reasoning).promptHash)
        XCTAssertEqual(PromptWording.hash.count, 64)
        XCTAssertTrue(PromptBuilder(mode: .direct).promptHash.hasPrefix(String(PromptWording.hash.prefix(16))))
    }
}
