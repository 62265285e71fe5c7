import Foundation
import LLM
import Server
import TestSupport
import XCTest

/// A real server on a free loopback port, in this process, over the default model (SmolLM2-135M
/// Q4_1): the routes, the engine and the sockets are the ones `biomed-r1 serve` runs.
final class TestServer: @unchecked Sendable {
    let url: URL
    let engine: BatchEngine
    private let task: Task<Void, Error>

    /// The model, loaded once for every server of the test run.
    static let model: Result<LanguageModel, Error> = Result {
        try LanguageModel(path: TestPaths.defaultModel().path, threads: ProcessInfo.processInfo.activeProcessorCount)
    }

    private init(url: URL, engine: BatchEngine, task: Task<Void, Error>) {
        self.url = url
        self.engine = engine
        self.task = task
    }

    /// Starts a server; fails (never hangs) when it is not listening within 60 s.
    static func start(slots: Int = 4, contextLimit: Int = 2048, maxQueued: Int = 64, apiKey: String? = nil,
                      maxBodyBytes: Int = 4 << 20) async throws -> TestServer {
        let lm = try model.get()
        let engine = BatchEngine(languageModel: lm, configuration: .init(slots: slots, contextLimit: contextLimit, maxQueued: maxQueued))
        let server = OpenAIServer(engine: engine, configuration: ServerConfiguration(
            host: "127.0.0.1", port: 0, apiKey: apiKey, maxBodyBytes: maxBodyBytes))
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            try await server.run(gracefulShutdownSignals: []) { port in continuation.yield(port) }
        }
        let timeout = Task {
            try await Task.sleep(for: .seconds(60))
            continuation.finish()
        }
        defer { timeout.cancel() }
        for await port in ports {
            return TestServer(url: URL(string: "http://127.0.0.1:\(port)")!, engine: engine, task: task)
        }
        task.cancel()
        throw StartFailure()
    }

    /// The shared server most tests use (4 slots, context 2048).
    static func shared() async throws -> TestServer {
        try await SharedServer.instance.get()
    }

    func endpoint(_ path: String) -> URL {
        url.appendingPathComponent(path)
    }

    /// Stops the server and waits until it has: its task is cancelled, the engine cancels what it
    /// was running and its thread ends (engines share the model, and only one may run it at a time).
    func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// Runs `body` against a server of its own, stopped afterwards whatever happens.
    static func with<T>(slots: Int = 4, maxQueued: Int = 64, apiKey: String? = nil, maxBodyBytes: Int = 4 << 20,
                        _ body: (TestServer) async throws -> T) async throws -> T {
        let server = try await start(slots: slots, maxQueued: maxQueued, apiKey: apiKey, maxBodyBytes: maxBodyBytes)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

/// A server that did not come up.
struct StartFailure: Error, CustomStringConvertible {
    var description: String { "the server did not start listening within 60 s" }
}

/// Starts the shared server once.
private actor SharedServer {
    static let instance = SharedServer()
    private var server: TestServer?

    func get() async throws -> TestServer {
        if let server { return server }
        let started = try await TestServer.start()
        server = started
        return started
    }
}
