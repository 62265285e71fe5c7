import Foundation
import XCTest

/// Every malformed request gets an OpenAI-shaped error with the right status, and the server
/// keeps answering afterwards.
final class ErrorResponseTests: XCTestCase {
    func expectError(_ server: TestServer, _ path: String, _ body: String, status: Int, param: String? = nil, code: String? = nil,
                     file: StaticString = #filePath, line: UInt = #line) async throws {
        let response = try await Curl.post(server.endpoint(path), body)
        XCTAssertEqual(response.status, status, response.body, file: file, line: line)
        let error = try response.error(file: file, line: line)
        XCTAssertFalse((error["message"] as? String ?? "").isEmpty, file: file, line: line)
        XCTAssertNotNil(error["type"] as? String, file: file, line: line)
        XCTAssertTrue(error.keys.contains("param") && error.keys.contains("code"), "\(error)", file: file, line: line)
        if let param { XCTAssertEqual(error["param"] as? String, param, file: file, line: line) }
        if let code { XCTAssertEqual(error["code"] as? String, code, file: file, line: line) }
    }

    func testMalformedRequestsAnswer400NamingTheField() async throws {
        let server = try await TestServer.shared()
        let chat = "v1/chat/completions", completions = "v1/completions"
        try await expectError(server, chat, "{not json", status: 400)
        try await expectError(server, chat, "", status: 400)
        try await expectError(server, chat, "[1, 2]", status: 400)
        try await expectError(server, chat, #"{"max_tokens": 4}"#, status: 400, param: "messages")
        try await expectError(server, chat, #"{"messages": "hi"}"#, status: 400, param: "messages")
        try await expectError(server, chat, #"{"messages": [{"role": "user"}], "max_tokens": 0}"#, status: 400, param: "max_tokens")
        try await expectError(server, chat, #"{"messages": [{"role": "user", "content": 5}]}"#, status: 400, param: "messages[0].content")
        try await expectError(server, chat, #"{"messages": [{"role": "wizard", "content": "x"}]}"#, status: 400, param: "messages[0].role")
        try await expectError(server, chat, #"{"messages": []}"#, status: 400, param: "messages")
        try await expectError(server, chat, #"{"messages": [{"role": "user", "content": "x"}], "temperature": "hot"}"#, status: 400, param: "temperature")
        try await expectError(server, chat, #"{"messages": [{"role": "user", "content": "x"}], "temperature": 9}"#, status: 400, param: "temperature")
        try await expectError(server, chat, #"{"messages": [{"role": "user", "content": "x"}], "top_logprobs": 3}"#, status: 400, param: "top_logprobs")
        try await expectError(server, chat, #"{"messages": [{"role": "user", "content": "x"}], "n": 0}"#, status: 400, param: "n")
        try await expectError(server, chat, #"{"messages": [{"role": "user", "content": "x"}], "continue_final_message": true}"#,
                              status: 400, param: "continue_final_message")
        try await expectError(server, completions, #"{"prompt": "x", "max_tokens": -5}"#, status: 400, param: "max_tokens")
        try await expectError(server, completions, #"{"prompt": "x", "max_tokens": 1e300}"#, status: 400, param: "max_tokens")
        try await expectError(server, completions, #"{"prompt": "x", "max_tokens": 99999999999}"#, status: 400, param: "max_tokens")
        try await expectError(server, completions, #"{"prompt": "x", "max_tokens": 2.5}"#, status: 400, param: "max_tokens")
        try await expectError(server, completions, #"{"prompt": {"a": 1}}"#, status: 400, param: "prompt")
        try await expectError(server, completions, #"{"prompt": [-4]}"#, status: 400, param: "prompt")
        try await expectError(server, completions, #"{"prompt": [99999999]}"#, status: 400, param: "prompt")
        try await expectError(server, completions, #"{"prompt": []}"#, status: 400, param: "prompt")
        try await expectError(server, completions, #"{"prompt": "x", "stop": 3}"#, status: 400, param: "stop")
        try await expectError(server, completions, #"{"prompt": "x", "logprobs": 50}"#, status: 400, param: "logprobs")
        try await expectError(server, "detokenize", #"{"tokens": [1, -1]}"#, status: 400)
        try await expectError(server, "tokenize", #"{}"#, status: 400)
        let health = try await Curl.get(server.endpoint("health"))
        XCTAssertEqual(health.status, 200)
    }

    func testPromptOverTheContextAnswers400() async throws {
        let server = try await TestServer.shared()
        let long = Array(repeating: 1_000, count: 2_100)
        try await expectError(server, "v1/completions", "{\"prompt\": \(long), \"max_tokens\": 4}", status: 400, code: "context_length_exceeded")
        let words = String(repeating: "patient ", count: 2_500)
        try await expectError(server, "v1/chat/completions", #"{"messages": [{"role": "user", "content": "\#(words)"}]}"#,
                              status: 400, code: "context_length_exceeded")
        try await expectError(server, "v1/completions", #"{"prompt": "x", "max_tokens": 5000}"#, status: 400, param: "max_tokens")
    }

    func testUnknownRoutesAndMethods() async throws {
        let server = try await TestServer.shared()
        let missing = try await Curl.get(server.endpoint("v1/engines"))
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(try missing.error()["code"] as? String, "not_found")
        let wrongMethod = try await Curl.get(server.endpoint("v1/chat/completions"))
        XCTAssertEqual(wrongMethod.status, 405)
        XCTAssertEqual(wrongMethod.headers["allow"], "POST")
    }

    func testBodyOverTheLimitAnswers413() async throws {
        try await TestServer.with(maxBodyBytes: 64 << 10) { server in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data((#"{"prompt": ""# + String(repeating: "a", count: 1 << 20) + #""}"#).utf8).write(to: file)
            let response = try await Curl.request("POST", server.endpoint("v1/completions"), bodyFile: file)
            XCTAssertEqual(response.status, 413)
            XCTAssertEqual(try response.error()["code"] as? String, "body_too_large")
            let health = try await Curl.get(server.endpoint("health")).status
            XCTAssertEqual(health, 200)
        }
    }
}
