import Foundation
import TestSupport
import XCTest

/// The official `openai` Python package driving a server (`Clients/openai_client.py`). Missing
/// python3 or openai fails the test with what to install; every run is bounded by a timeout.
enum OpenAIClient {
    static let script = TestPaths.repositoryRoot.appendingPathComponent("Tests/ServerTests/Clients/openai_client.py")

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// Calls `chat.completions.create` or `completions.create` with `params`; returns the response
    /// (`{"chunks": [...]}` when streamed, `{"error_status", "error"}` for an error status).
    static func call(_ server: URL, _ kind: String, stream: Bool = false, _ params: [String: Any],
                     timeout: Double = 180) async throws -> [String: Any] {
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let arguments = ["python3", script.path, server.absoluteString, kind, stream ? "stream" : "plain",
                         String(decoding: try JSONSerialization.data(withJSONObject: params), as: UTF8.self)]
        let output = try await CommandRunner.run(python, arguments, timeout: timeout)
        if output.status == 3 || output.status == 127 {
            throw Missing(description: "python3 or its openai package is missing (\(output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))); run scripts/fetch-test-assets.sh")
        }
        guard output.status == 0 else {
            throw Missing(description: "openai_client.py failed (\(output.status)): \(output.stderr)")
        }
        let value = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        return try XCTUnwrap(value as? [String: Any], output.stdout)
    }

    /// The streamed chunks of a response.
    static func chunks(_ response: [String: Any]) throws -> [[String: Any]] {
        try XCTUnwrap(response["chunks"] as? [[String: Any]], "not a stream: \(response)")
    }
}

extension Dictionary where Key == String, Value == Any {
    /// `choices[i]` of an OpenAI response.
    func choice(_ i: Int, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let choices = try XCTUnwrap(self["choices"] as? [[String: Any]], "no choices in \(self)", file: file, line: line)
        return try XCTUnwrap(choices.first { ($0["index"] as? Int) == i }, "no choice \(i) in \(choices)", file: file, line: line)
    }

    /// The message content of chat choice `i`.
    func chatText(_ i: Int = 0) throws -> String {
        try XCTUnwrap((try choice(i)["message"] as? [String: Any])?["content"] as? String)
    }

    /// The text of completion choice `i`.
    func completionText(_ i: Int = 0) throws -> String {
        try XCTUnwrap(try choice(i)["text"] as? String)
    }

    /// `usage`.
    var usage: [String: Int] { (self["usage"] as? [String: Any])?.compactMapValues { $0 as? Int } ?? [:] }
}
