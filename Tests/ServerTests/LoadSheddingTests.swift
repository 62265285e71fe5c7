import Foundation
import TestSupport
import XCTest

/// A full queue answers 429 with Retry-After; a client that goes away frees its slot.
final class LoadSheddingTests: XCTestCase {
    func testFullQueueAnswers429AndADisconnectFreesTheSlot() async throws {
        try await TestServer.with(slots: 1, maxQueued: 0) { server in
            // A long streamed answer holds the one slot; curl is killed while it streams.
            let body = #"{"prompt": "1, 2, 3, 4, 5, 6, 7, 8, 9, 10,", "max_tokens": 1500, "temperature": 0, "stream": true}"#
            let holder = try startCurl(server, body)
            defer { if holder.isRunning { holder.terminate() } }
            let decoding = try await waitFor(seconds: 60) { server.engine.metrics.generatedTokens > 0 }
            XCTAssertTrue(decoding, "the long request never started decoding")

            let refused = try await Curl.post(server.endpoint("v1/completions"), #"{"prompt": "Hello", "max_tokens": 2}"#)
            XCTAssertEqual(refused.status, 429, refused.body)
            XCTAssertEqual(refused.headers["retry-after"], "1")
            XCTAssertEqual(try refused.error()["type"] as? String, "rate_limit_error")

            let generatedBefore = server.engine.metrics.generatedTokens
            kill(holder.processIdentifier, SIGKILL)
            let freed = try await waitFor(seconds: 20) { server.engine.metrics.running == 0 && server.engine.metrics.requestsFinished == 1 }
            XCTAssertTrue(freed, "the slot was not freed")
            XCTAssertLessThan(server.engine.metrics.generatedTokens - generatedBefore, 1500)
            let served = try await Curl.post(server.endpoint("v1/completions"), #"{"prompt": "Hello", "max_tokens": 2}"#)
            XCTAssertEqual(served.status, 200, served.body)
        }
    }

    func testNonStreamedClientDisconnectFreesTheSlot() async throws {
        try await TestServer.with(slots: 1, maxQueued: 0) { server in
            let waiting = try startCurl(server, #"{"prompt": "1, 2, 3, 4, 5, 6, 7, 8, 9, 10,", "max_tokens": 1800, "temperature": 0}"#)
            defer { if waiting.isRunning { waiting.terminate() } }
            let decoding = try await waitFor(seconds: 60) { server.engine.metrics.generatedTokens > 0 }
            XCTAssertTrue(decoding, "the long request never started decoding")
            // The client gives up while the whole answer is still being generated for it.
            kill(waiting.processIdentifier, SIGKILL)
            let freed = try await waitFor(seconds: 20) { server.engine.metrics.running == 0 && server.engine.metrics.requestsFinished == 1 }
            XCTAssertTrue(freed, "the slot was not freed")
            XCTAssertLessThan(server.engine.metrics.generatedTokens, 1800)
            let next = try await Curl.post(server.endpoint("v1/completions"), #"{"prompt": "Hi", "max_tokens": 2}"#)
            XCTAssertEqual(next.status, 200, next.body)
        }
    }

    /// Starts curl posting `body` to /v1/completions; its output is dropped.
    private func startCurl(_ server: TestServer, _ body: String) throws -> Process {
        let process = Process()
        process.executableURL = Curl.executable
        process.arguments = ["-sS", "-N", "--max-time", "300", "-H", "Content-Type: application/json", "-d", body,
                             server.endpoint("v1/completions").absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Polls `condition` every 50 ms for up to `seconds`.
    private func waitFor(seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }
}
