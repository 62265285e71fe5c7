import Foundation
import XCTest

/// `/v1/chat/completions` through the official openai client and curl.
final class ChatCompletionsTests: XCTestCase {
    let question = [["role": "user", "content": "What is the capital of France? Answer in one sentence."]]

    func testPlainAndStreamedChatAgreeAndReportUsage() async throws {
        let server = try await TestServer.shared()
        let plain = try await OpenAIClient.call(server.url, "chat", ["model": "any", "messages": question, "max_tokens": 24, "temperature": 0])
        let text = try plain.chatText()
        XCTAssertTrue(text.contains("Paris"), text)
        XCTAssertEqual(try plain.choice(0)["finish_reason"] as? String, "stop")
        XCTAssertEqual(plain["object"] as? String, "chat.completion")
        let usage = plain.usage
        XCTAssertEqual(usage["total_tokens"], (usage["prompt_tokens"] ?? 0) + (usage["completion_tokens"] ?? 0))
        XCTAssertGreaterThan(usage["completion_tokens"] ?? 0, 0)

        let streamed = try await OpenAIClient.call(server.url, "chat", stream: true, [
            "model": "any", "messages": question, "max_tokens": 24, "temperature": 0, "stream_options": ["include_usage": true],
        ])
        let chunks = try OpenAIClient.chunks(streamed)
        // OpenAI's order: a role delta, content deltas, the finish reason, then the usage chunk.
        let firstDelta = try XCTUnwrap((try chunks.first?.choice(0))?["delta"] as? [String: Any])
        XCTAssertEqual(firstDelta["role"] as? String, "assistant")
        let withChoices = chunks.filter { !(($0["choices"] as? [Any])?.isEmpty ?? true) }
        let content = try withChoices.map { try ($0.choice(0)["delta"] as? [String: Any])?["content"] as? String ?? "" }.joined()
        XCTAssertEqual(content, text)
        XCTAssertEqual(try withChoices.last?.choice(0)["finish_reason"] as? String, "stop")
        XCTAssertEqual(try withChoices.dropLast().compactMap { try $0.choice(0)["finish_reason"] as? String }, [])
        let last = try XCTUnwrap(chunks.last)
        XCTAssertEqual((last["choices"] as? [Any])?.count, 0)
        XCTAssertEqual(last.usage, usage)
    }

    func testStreamOnTheWireEndsWithDone() async throws {
        let server = try await TestServer.shared()
        let body = #"{"messages":[{"role":"user","content":"Say hi."}],"max_tokens":4,"temperature":0,"stream":true}"#
        let response = try await Curl.post(server.endpoint("v1/chat/completions"), body)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["content-type"], "text/event-stream")
        let events = response.body.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        XCTAssertTrue(events.allSatisfy { $0.hasPrefix("data: ") }, response.body)
        XCTAssertEqual(events.last, "data: [DONE]")
        // Without include_usage no chunk carries a usage key.
        XCTAssertFalse(response.body.contains("\"usage\""), response.body)
    }

    func testLogprobsInChatShape() async throws {
        let server = try await TestServer.shared()
        let response = try await OpenAIClient.call(server.url, "chat", [
            "model": "any", "messages": question, "max_tokens": 6, "temperature": 0, "logprobs": true, "top_logprobs": 3,
        ])
        let content = try XCTUnwrap((try response.choice(0)["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
        XCTAssertEqual(content.count, response.usage["completion_tokens"])
        for entry in content {
            let logprob = try XCTUnwrap(entry["logprob"] as? Double)
            let top = try XCTUnwrap(entry["top_logprobs"] as? [[String: Any]])
            XCTAssertEqual(top.count, 3)
            // Greedy: the chosen token is the most likely one, and alternatives come most likely first.
            XCTAssertEqual(top.first?["token"] as? String, entry["token"] as? String)
            XCTAssertEqual(top.first?["logprob"] as? Double ?? 1, logprob, accuracy: 1e-6)
            let values = top.compactMap { $0["logprob"] as? Double }
            XCTAssertEqual(values, values.sorted(by: >))
            XCTAssertLessThanOrEqual(logprob, 0)
            let bytes = try XCTUnwrap(entry["bytes"] as? [Int])
            XCTAssertEqual(String(decoding: bytes.map(UInt8.init), as: UTF8.self), entry["token"] as? String)
        }
        let joined = content.compactMap { $0["token"] as? String }.joined()
        XCTAssertEqual(joined, try response.chatText())
    }

    func testStopStringsAndNChoicesWithSeeds() async throws {
        let server = try await TestServer.shared()
        let stopped = try await OpenAIClient.call(server.url, "chat", [
            "model": "any", "messages": question, "max_tokens": 24, "temperature": 0, "stop": [" Paris", "zzz"],
        ])
        XCTAssertEqual(try stopped.chatText(), "The capital of France is")
        XCTAssertEqual(try stopped.choice(0)["finish_reason"] as? String, "stop")

        let params: [String: Any] = ["model": "any", "messages": [["role": "user", "content": "Write a word."]], "max_tokens": 12,
                                     "temperature": 1.0, "n": 3, "seed": 42]
        let first = try await OpenAIClient.call(server.url, "chat", params)
        let second = try await OpenAIClient.call(server.url, "chat", params)
        let texts = try (0..<3).map { try first.chatText($0) }
        // The same seed gives the same choices; choice i samples with seed + i.
        XCTAssertEqual(texts, try (0..<3).map { try second.chatText($0) })
        var single = params
        single["n"] = 1
        single["seed"] = 43
        let seeded = try await OpenAIClient.call(server.url, "chat", single).chatText()
        XCTAssertEqual(seeded, texts[1])
    }

    func testPrefillIsContinuedNotClosed() async throws {
        let server = try await TestServer.shared()
        let prefill = "The capital of France is"
        let messages = question + [["role": "assistant", "content": prefill]]
        let chat = try await OpenAIClient.call(server.url, "chat", ["model": "any", "messages": messages, "max_tokens": 8, "temperature": 0])
        let continuation = try chat.chatText()
        // The open turn is exactly the plain answer's rendering cut after the prefill, so greedy
        // decoding goes on where the plain answer would.
        let plain = try await OpenAIClient.call(server.url, "chat", ["model": "any", "messages": question, "max_tokens": 16, "temperature": 0])
        XCTAssertTrue(try plain.chatText().hasPrefix(prefill + continuation), "\(continuation) | \(String(describing: try? plain.chatText()))")

        // The rendered prompt ends with the prefill itself, no end-of-turn after it.
        let tokens = try await Curl.post(server.endpoint("tokenize"), String(decoding: try JSONSerialization.data(withJSONObject: ["messages": messages]), as: UTF8.self))
        let ids = try XCTUnwrap(try tokens.json()["tokens"] as? [Int])
        let text = try await Curl.post(server.endpoint("detokenize"), "{\"tokens\": \(ids)}")
        XCTAssertTrue(try XCTUnwrap(try text.json()["content"] as? String).hasSuffix("<|im_start|>assistant\n" + prefill))

        // Asked explicitly not to continue, the assistant turn is closed and a new one opened.
        let explicit = try await OpenAIClient.call(server.url, "chat", ["model": "any", "messages": messages, "max_tokens": 8, "temperature": 0,
                                                                         "_extra_body": ["continue_final_message": false]])
        XCTAssertNotEqual(try explicit.chatText(), continuation)
    }
}
