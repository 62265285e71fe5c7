import Foundation
import TestSupport
import XCTest

/// `biomed-r1 serve` as users start it: its greedy answers equal `biomed-r1 generate`'s, alone
/// and under concurrent load, and SIGTERM lets in-flight answers finish, then exits 0.
final class ServeCommandTests: XCTestCase {
    static var binary: URL { Bundle.main.bundleURL.appendingPathComponent("biomed-r1") }

    /// A running `biomed-r1 serve --port 0`, found from the line it prints when listening.
    struct RunningServe {
        let process: Process
        let url: URL
        let stdout: URL
        let stderr: URL

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(at: stdout)
            try? FileManager.default.removeItem(at: stderr)
        }
    }

    func startServe(_ arguments: [String]) async throws -> RunningServe {
        let model = try TestPaths.defaultModel().path
        let (process, out, err) = try CommandRunner.start(Self.binary, ["serve", "--model", model, "--port", "0"] + arguments)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning {
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                return RunningServe(process: process, url: URL(string: String(text[range]))!, stdout: out, stderr: err)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        RunningServe(process: process, url: URL(string: "http://127.0.0.1")!, stdout: out, stderr: err).stop()
        throw StartFailure(detail: stderr)
    }

    struct StartFailure: Error, CustomStringConvertible {
        let detail: String
        var description: String { "biomed-r1 serve did not start listening within 60 s: \(detail)" }
    }

    func testGreedyAnswersEqualGenerateAloneAndUnderEightConcurrentRequests() async throws {
        let model = try TestPaths.defaultModel().path
        let prompts = ["What is the capital of France? Answer in one sentence.", "Name three symptoms of influenza."]
        var expected: [String: String] = [:]
        for prompt in prompts {
            let run = try await CommandRunner.run(Self.binary, ["generate", "--model", model, "--temperature", "0", "--max-tokens", "32",
                                                                "--ctx", "2048", prompt], timeout: 120)
            XCTAssertEqual(run.status, 0, run.stderr)
            expected[prompt] = String(run.stdout.dropLast())  // generate ends with a newline
        }
        let serve = try await startServe(["--parallel", "8", "--ctx", "2048"])
        defer { serve.stop() }
        func ask(_ prompt: String) async throws -> String {
            let body = try JSONSerialization.data(withJSONObject: [
                "messages": [["role": "user", "content": prompt]], "max_tokens": 32, "temperature": 0] as [String: Any])
            let response = try await Curl.post(serve.url.appendingPathComponent("v1/chat/completions"), String(decoding: body, as: UTF8.self))
            XCTAssertEqual(response.status, 200, response.body)
            return try response.json().chatText()
        }
        for prompt in prompts {
            let alone = try await ask(prompt)
            XCTAssertEqual(alone, expected[prompt], "alone: \(prompt)")
        }
        let concurrent = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for i in 0..<8 {
                let prompt = prompts[i % prompts.count]
                group.addTask { (prompt, try await ask(prompt)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(concurrent.count, 8)
        for (prompt, text) in concurrent {
            XCTAssertEqual(text, expected[prompt], "under load: \(prompt)")
        }
    }

    func testSIGTERMLetsInFlightRequestsFinishThenExitsZero() async throws {
        let serve = try await startServe(["--parallel", "2", "--ctx", "2048", "--shutdown-grace", "300"])
        defer { serve.stop() }
        let body = #"{"prompt": "1, 2, 3, 4, 5, 6, 7, 8, 9, 10,", "max_tokens": 24, "temperature": 0, "stream": true}"#
        async let streamed = CommandRunner.run(Curl.executable, [
            "-sS", "-N", "--max-time", "240", "-H", "Content-Type: application/json", "-d", body,
            serve.url.appendingPathComponent("v1/completions").absoluteString,
        ], timeout: 260)
        // Wait until the answer is streaming, then ask the server to stop.
        let metricsURL = serve.url.appendingPathComponent("metrics")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let metrics = try await Curl.get(metricsURL)
            if metrics.body.contains("biomedr1_requests_running{model=\"SmolLM2-135M-Instruct.Q4_1\"} 1"),
               !metrics.body.contains("biomedr1_generation_tokens_total{model=\"SmolLM2-135M-Instruct.Q4_1\"} 0") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(serve.process.processIdentifier, SIGTERM)
        let output = try await streamed
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasSuffix("data: [DONE]\n\n"), output.stdout)
        XCTAssertTrue(output.stdout.contains("\"finish_reason\":\"length\""), output.stdout)
        let exitDeadline = Date().addingTimeInterval(30)
        while serve.process.isRunning, Date() < exitDeadline { try await Task.sleep(for: .milliseconds(100)) }
        XCTAssertFalse(serve.process.isRunning, "serve did not exit after SIGTERM")
        XCTAssertEqual(serve.process.terminationStatus, 0)
        XCTAssertEqual(serve.process.terminationReason, .exit)
    }
}
