import Foundation
import XCTest

/// `/v1/completions`: text and token-id prompts, lists of them, echo, logprobs, streaming.
final class CompletionsTests: XCTestCase {
    let prompt = "<|im_start|>user\nWhat is the capital of France? Answer in one sentence.<|im_end|>\n<|im_start|>assistant\n"

    func testTextTokenIDsAndListsGiveTheSameGreedyText() async throws {
        let server = try await TestServer.shared()
        let byText = try await OpenAIClient.call(server.url, "completion", ["model": "any", "prompt": prompt, "max_tokens": 12, "temperature": 0])
        let text = try byText.completionText()
        XCTAssertTrue(text.contains("Paris"), text)
        XCTAssertEqual(byText["object"] as? String, "text_completion")

        let tokenized = try await Curl.post(server.endpoint("tokenize"), String(decoding: try JSONSerialization.data(withJSONObject: [
            "prompt": prompt]), as: UTF8.self))
        let ids = try XCTUnwrap(try tokenized.json()["tokens"] as? [Int])
        XCTAssertEqual(byText.usage["prompt_tokens"], ids.count)
        let byIDs = try await OpenAIClient.call(server.url, "completion", ["model": "any", "prompt": ids, "max_tokens": 12, "temperature": 0])
        XCTAssertEqual(try byIDs.completionText(), text)

        let listed = try await OpenAIClient.call(server.url, "completion", [
            "model": "any", "prompt": [prompt, "The opposite of hot is"], "max_tokens": 12, "temperature": 0, "n": 2,
        ])
        // Choice p × n + i answers prompt p; greedy choices of one prompt agree.
        XCTAssertEqual(try listed.completionText(0), text)
        XCTAssertEqual(try listed.completionText(1), text)
        XCTAssertEqual(try listed.completionText(2), try listed.completionText(3))
        let secondPromptTokens = try await promptTokens(server, "The opposite of hot is")
        XCTAssertEqual(listed.usage["prompt_tokens"], ids.count + (secondPromptTokens))
    }

    func testEchoAndLogprobsInCompletionsShape() async throws {
        let server = try await TestServer.shared()
        let response = try await OpenAIClient.call(server.url, "completion", [
            "model": "any", "prompt": "The opposite of hot is", "max_tokens": 5, "temperature": 0, "logprobs": 2, "echo": true,
        ])
        let choice = try response.choice(0)
        let text = try XCTUnwrap(choice["text"] as? String)
        XCTAssertTrue(text.hasPrefix("The opposite of hot is"), text)
        let logprobs = try XCTUnwrap(choice["logprobs"] as? [String: Any])
        let tokens = try XCTUnwrap(logprobs["tokens"] as? [String])
        let values = try XCTUnwrap(logprobs["token_logprobs"] as? [Any])
        let top = try XCTUnwrap(logprobs["top_logprobs"] as? [Any])
        let offsets = try XCTUnwrap(logprobs["text_offset"] as? [Int])
        let promptCount = try await promptTokens(server, "The opposite of hot is")
        XCTAssertEqual(tokens.count, promptCount + (response.usage["completion_tokens"] ?? -1))
        XCTAssertEqual([values.count, top.count, offsets.count], [tokens.count, tokens.count, tokens.count])
        // Echoed prompt tokens carry no score; generated ones do, with two alternatives.
        XCTAssertTrue(values.prefix(promptCount).allSatisfy { $0 is NSNull })
        for (value, alternatives) in zip(values.dropFirst(promptCount), top.dropFirst(promptCount)) {
            XCTAssertLessThanOrEqual(try XCTUnwrap(value as? Double), 0)
            XCTAssertEqual((alternatives as? [String: Any])?.count, 2)
        }
        XCTAssertEqual(offsets, offsets.sorted())
        XCTAssertTrue(text.hasSuffix(tokens.dropFirst(promptCount).joined()), "\(tokens) | \(text)")
    }

    func testStreamedCompletionMatchesPlain() async throws {
        let server = try await TestServer.shared()
        let params: [String: Any] = ["model": "any", "prompt": prompt, "max_tokens": 12, "temperature": 0]
        let plain = try await OpenAIClient.call(server.url, "completion", params)
        var streamedParams = params
        streamedParams["stream_options"] = ["include_usage": true]
        let chunks = try OpenAIClient.chunks(try await OpenAIClient.call(server.url, "completion", stream: true, streamedParams))
        let withChoices = chunks.filter { !(($0["choices"] as? [Any])?.isEmpty ?? true) }
        XCTAssertEqual(try withChoices.map { try $0.completionText() }.joined(), try plain.completionText())
        XCTAssertEqual(try withChoices.last?.choice(0)["finish_reason"] as? String, try plain.choice(0)["finish_reason"] as? String)
        XCTAssertEqual(chunks.last?.usage, plain.usage)
    }

    func testStopStringIsCut() async throws {
        let server = try await TestServer.shared()
        let response = try await OpenAIClient.call(server.url, "completion", [
            "model": "any", "prompt": prompt, "max_tokens": 24, "temperature": 0, "stop": "Paris",
        ])
        let text = try response.completionText()
        XCTAssertFalse(text.contains("Paris"), text)
        XCTAssertEqual(try response.choice(0)["finish_reason"] as? String, "stop")
        XCTAssertTrue(text.hasPrefix("The capital of France is"), text)
    }

    private func promptTokens(_ server: TestServer, _ text: String) async throws -> Int {
        let response = try await Curl.post(server.endpoint("tokenize"), String(decoding: try JSONSerialization.data(withJSONObject: ["prompt": text]), as: UTF8.self))
        return try XCTUnwrap(try response.json()["count"] as? Int)
    }
}
