import Evaluation
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MedQA
import LLM
import ModelFiles
import Server
import TestSupport
import XCTest

/// The HTTP backend against a real OpenAI-compatible server serving the default model (SmolLM2):
/// the one at `$BIOMED_R1_TEST_ENDPOINT` if set, else a llama.cpp server that the test starts from
/// `$LLAMA_SERVER` (see README: building it takes minutes), else our own server.
final class OpenAICompatibleBackendTests: XCTestCase {
    static func serverBinary() -> String? {
        ProcessInfo.processInfo.environment["LLAMA_SERVER"].flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    }

    /// A port nothing listens on right now: bind port 0 and let the kernel choose.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = bind(fd, $0, length) }
        }
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// GET /health with a short timeout (a blocking `Data(contentsOf:)` can hang while the server starts).
    static func isHealthy(_ url: URL) -> Bool {
        final class Box: @unchecked Sendable { var ok = false }
        let box = Box(), done = DispatchSemaphore(value: 0)
        var request = URLRequest(url: url.appendingPathComponent("health"), timeoutInterval: 2)
        request.httpMethod = "GET"
        URLSession.shared.dataTask(with: request) { data, response, _ in
            box.ok = (response as? HTTPURLResponse)?.statusCode == 200 && String(decoding: data ?? Data(), as: UTF8.self).contains("ok")
            done.signal()
        }.resume()
        return done.wait(timeout: .now() + 3) == .success && box.ok
    }

    /// Runs `body` against the server to test, serving the default model: the one at
    /// `$BIOMED_R1_TEST_ENDPOINT` if set, else llama.cpp's server from `$LLAMA_SERVER` if set, else
    /// our own `biomed-r1 serve` (the Server module, in this process), so CI always tests the real
    /// HTTP path.
    func withServer(model: URL, _ body: (URL) async throws -> Void) async throws {
        if let text = ProcessInfo.processInfo.environment["BIOMED_R1_TEST_ENDPOINT"], let url = URL(string: text) {
            return try await body(url)
        }
        guard let binary = Self.serverBinary() else {
            let engine = BatchEngine(languageModel: try LanguageModel(path: model.path, threads: 2),
                                     configuration: .init(slots: 2, contextLimit: 4096))
            let server = OpenAIServer(engine: engine, configuration: ServerConfiguration(host: "127.0.0.1", port: 0))
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            let task = Task { try await server.run(gracefulShutdownSignals: []) { continuation.yield($0) } }
            let timeout = Task {
                try await Task.sleep(for: .seconds(60))
                continuation.finish()
            }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next()
            timeout.cancel()
            do {
                let port = try XCTUnwrap(port, "biomed-r1's server did not start within 60 s")
                try await body(URL(string: "http://127.0.0.1:\(port)")!)
            } catch {
                task.cancel()
                _ = await task.result
                throw error
            }
            task.cancel()
            _ = await task.result
            return
        }
        let port = Self.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-m", model.path, "--host", "127.0.0.1", "--port", "\(port)", "-c", "4096", "-np", "2", "-t", "2", "--no-webui"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // From an async test this runs on a libdispatch thread, whose blocked SIGTERM the child
        // would inherit: then `terminate()` does nothing and `waitUntilExit()` never returns.
        try process.runWithDefaultSignalMask()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let url = URL(string: "http://127.0.0.1:\(port)")!
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning, !Self.isHealthy(url) {
            try await Task.sleep(for: .milliseconds(250))
        }
        guard Self.isHealthy(url) else { return XCTFail("llama-server did not become healthy on \(url)") }
        try await body(url)
    }

    func testEvaluationThroughAServerWithADeadEndpointRetried() async throws {
        let model = try TestPaths.defaultModel()
        try await withServer(model: model) { url in
            // A second endpoint where nothing listens: round-robin sends it requests, which fail to
            // connect and are retried on the live one. One retry must be enough, however the
            // concurrent requests interleave: each retry goes to the endpoint after its own last.
            let dead = URL(string: "http://127.0.0.1:\(Self.freePort())")!
            let backend = try OpenAICompatibleBackend(
                endpoints: [dead, url], servedModel: "smollm2", renderer: PromptRenderer(templateFile: model),
                maxConcurrency: 2, timeout: 120, retries: 1, backoff: 0.05)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("http-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try ResultStore(path: directory.appendingPathComponent("r.sqlite").path)
            let benchmark = try LoadedBenchmark.load(TestPaths.fixture("medqa/biomed-r1-eval/medqa/test-00000-of-00001.jsonl").path)
            let settings = RunSettings(model: backend.modelIdentity, benchmarks: [benchmark.identity], modes: [.direct],
                                       variants: [nil, .prefill], seed: 0, limit: 2, maxTokens: 6)
            let run = try await EvaluationRunner(backend: backend, store: store).run(name: "http", settings: settings, benchmarks: [benchmark])
            let items = try store.items(runID: run.id)
            XCTAssertEqual(items.count, 4)
            for item in items {
                XCTAssertGreaterThan(item.promptTokens, 50)
                XCTAssertGreaterThan(item.completionTokens, 0)
                XCTAssertLessThanOrEqual(item.completionTokens, 6)
            }
            // The prefill reached the server inside the prompt: its prompt is longer than the plain one.
            for question in Set(items.map(\.questionID)) {
                let plain = try XCTUnwrap(items.first { $0.questionID == question && $0.variant == "none" })
                let prefill = try XCTUnwrap(items.first { $0.questionID == question && $0.variant == "prefill" })
                XCTAssertGreaterThan(prefill.promptTokens, plain.promptTokens + 5)
                XCTAssertFalse(prefill.unparsed)
            }
        }
    }

    /// Ten MMLU medical questions end to end through the embedded backend and through the HTTP
    /// backend against a server of the same model: every item stored, and the same greedy answers.
    func testTenQuestionsThroughBothBackendsGiveTheSameAnswers() async throws {
        let model = try TestPaths.defaultModel()
        let benchmark = try LoadedBenchmark.load("mmlu-medical")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("both-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func answers(_ backend: any Backend, _ name: String) async throws -> [String: String] {
            let store = try ResultStore(path: directory.appendingPathComponent("\(name).sqlite").path)
            let settings = RunSettings(model: backend.modelIdentity, benchmarks: [benchmark.identity], modes: [.direct],
                                       variants: [nil], seed: 5, limit: 10, maxTokens: 6)
            let run = try await EvaluationRunner(backend: backend, store: store).run(name: name, settings: settings, benchmarks: [benchmark])
            let items = try store.items(runID: run.id)
            XCTAssertEqual(items.count, 10, name)
            XCTAssertEqual(Set(items.map(\.questionID)).count, 10, name)
            return Dictionary(uniqueKeysWithValues: items.map { ($0.questionID, $0.completion) })
        }
        let embedded = try await answers(EmbeddedBackend(languageModel: LanguageModel(path: model.path, threads: 2)), "embedded")
        try await withServer(model: model) { url in
            let backend = try OpenAICompatibleBackend(
                endpoints: [url], servedModel: "smollm2", renderer: PromptRenderer(templateFile: model), maxConcurrency: 2, timeout: 120)
            let http = try await answers(backend, "http")
            if ProcessInfo.processInfo.environment["BIOMED_R1_TEST_ENDPOINT"] == nil && Self.serverBinary() == nil {
                XCTAssertEqual(http, embedded, "our server and the embedded engine answer alike")
            }
        }
    }

    func testANonRetryableHTTPErrorIsTyped() async throws {
        let model = try TestPaths.defaultModel()
        try await withServer(model: model) { url in
            // An unknown path answers 404: no retry, a typed error naming the endpoint.
            let backend = try OpenAICompatibleBackend(
                endpoints: [url.appendingPathComponent("no-such-prefix")], servedModel: "smollm2",
                renderer: PromptRenderer(templateFile: model), retries: 3, backoff: 0.05)
            let question = try LoadedBenchmark.load(TestPaths.fixture("medqa/biomed-r1-eval/medqa/test-00000-of-00001.jsonl").path).questions[0]
            do {
                _ = try await backend.complete(CompletionRequest(prompt: PromptBuilder(mode: .direct).prompt(for: question), maxTokens: 2))
                XCTFail("expected an HTTP error")
            } catch let error as BackendError {
                guard case .http(_, let status, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(status, 404)
            }
        }
    }
}
