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
        // The first prompt token has no score (nothing precedes it); every other token has one, with two
        // alternatives at most as likely as the likeliest.
        XCTAssertTrue(values.first is NSNull)
        XCTAssertTrue(top.first is NSNull)
        for (value, alternatives) in zip(values.dropFirst(), top.dropFirst()) {
            let logprob = try XCTUnwrap(value as? Double)
            XCTAssertLessThanOrEqual(logprob, 0)
            let alternatives = try XCTUnwrap(alternatives as? [String: Double])
            XCTAssertEqual(alternatives.count, 2)
            XCTAssertLessThanOrEqual(logprob, try XCTUnwrap(alternatives.values.max()) + 1e-6)
        }
        XCTAssertEqual(offsets, offsets.sorted())
        XCTAssertEqual(offsets[promptCount], "The opposite of hot is".count)
        XCTAssertTrue(text.hasSuffix(tokens.dropFirst(promptCount).joined()), "\(tokens) | \(text)")

        // Streamed: the echo chunk carries the same prompt scores, before the generated text.
        let chunks = try OpenAIClient.chunks(try await OpenAIClient.call(server.url, "completion", stream: true, [
            "model": "any", "prompt": "The opposite of hot is", "max_tokens": 5, "temperature": 0, "logprobs": 2, "echo": true,
        ]))
        let first = try XCTUnwrap(chunks.first).choice(0)
        XCTAssertEqual(first["text"] as? String, "The opposite of hot is")
        let streamedValues = try XCTUnwrap((first["logprobs"] as? [String: Any])?["token_logprobs"] as? [Any])
        XCTAssertEqual(streamedValues.count, promptCount)
        XCTAssertEqual(streamedValues.dropFirst().map { $0 as? Double }, values[1..<promptCount].map { $0 as? Double })
    }

    /// Scoring as lm-evaluation-harness does it (echo, logprobs, max_tokens 0): the score of a continuation's
    /// token is the log-probability with which the model generates it.
    func testScoringAContinuationGivesItsGenerationLogprob() async throws {
        let server = try await TestServer.shared()
        let tokenized = try await Curl.post(server.endpoint("tokenize"), String(decoding: try JSONSerialization.data(withJSONObject: [
            "prompt": prompt]), as: UTF8.self))
        let ids = try XCTUnwrap(try tokenized.json()["tokens"] as? [Int])
        let generated = try await OpenAIClient.call(server.url, "completion", [
            "model": "any", "prompt": ids, "max_tokens": 3, "temperature": 0, "logprobs": 1,
        ])
        let generatedLogprobs = try XCTUnwrap((try generated.choice(0)["logprobs"] as? [String: Any])?["token_logprobs"] as? [Double])
        let continuation = try await Curl.post(server.endpoint("tokenize"), String(decoding: try JSONSerialization.data(withJSONObject: [
            "prompt": try generated.completionText()]), as: UTF8.self))
        let continuationIDs = try XCTUnwrap(try continuation.json()["tokens"] as? [Int])
        XCTAssertEqual(continuationIDs.count, 3, "the three generated tokens tokenize back to themselves")

        let scored = try await OpenAIClient.call(server.url, "completion", [
            "model": "any", "prompt": ids + continuationIDs, "max_tokens": 0, "logprobs": 1, "echo": true,
        ])
        let choice = try scored.choice(0)
        let logprobs = try XCTUnwrap(choice["logprobs"] as? [String: Any])
        let values = try XCTUnwrap(logprobs["token_logprobs"] as? [Any])
        XCTAssertEqual(values.count, ids.count + 3)
        XCTAssertEqual(scored.usage["completion_tokens"], 0)
        XCTAssertEqual(choice["finish_reason"] as? String, "length")
        // The first continuation token comes from the prompt's pass in both requests: the same number. The
        // others were generated one per pass, whose attention sums in llama.cpp's single-token order, and are
        // scored in a pass of many tokens (its tiled order): close, not equal.
        for (i, want) in generatedLogprobs.enumerated() {
            XCTAssertEqual(try XCTUnwrap(values[ids.count + i] as? Double), want, accuracy: i == 0 ? 1e-6 : 1e-3,
                           "continuation token \(i)")
        }

        // Without echo, 0 new tokens is still an error.
        let refused = try await OpenAIClient.call(server.url, "completion", ["model": "any", "prompt": "Hi", "max_tokens": 0])
        XCTAssertEqual(refused["error_status"] as? Int, 400)
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
