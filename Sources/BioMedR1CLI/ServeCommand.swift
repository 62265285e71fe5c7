import ArgumentParser
import Foundation
import LLM
import Logging
import Server

/// `biomed-r1 serve`: the model behind an OpenAI-compatible HTTP API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the model over an OpenAI-compatible HTTP API (chat and text completions, streaming, continuous batching).")

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "The address to listen on (loopback by default).")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one (printed on start).")
    var port = 8080

    @Option(help: "Sequences decoded at once (slots of the shared KV cache).")
    var parallel = 4

    @Option(help: "Requests that may wait for a slot before the server answers 429.")
    var maxQueued = 64

    @Option(help: "Require 'Authorization: Bearer KEY' on every endpoint but /health.")
    var apiKey: String?

    @Option(help: "The model id the API reports (default: the model file's name without .gguf).")
    var modelID: String?

    @Option(help: "Seconds in-flight requests get to finish on SIGINT/SIGTERM before they are cancelled.")
    var shutdownGrace = 10

    func validate() throws {
        guard (1...256).contains(parallel) else { throw ValidationError("--parallel must be between 1 and 256") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxQueued >= 0 else { throw ValidationError("--max-queued must not be negative") }
        guard shutdownGrace >= 0 else { throw ValidationError("--shutdown-grace must not be negative") }
        if let apiKey, apiKey.isEmpty { throw ValidationError("--api-key must not be empty") }
    }

    func run() async throws {
        let lm = try modelOptions.load()
        let engine = BatchEngine(
            languageModel: lm,
            configuration: .init(slots: parallel, contextLimit: modelOptions.ctx, maxQueued: maxQueued))
        let server = OpenAIServer(engine: engine, configuration: ServerConfiguration(
            host: host, port: port, apiKey: apiKey, modelID: modelID, shutdownGracePeriod: .seconds(shutdownGrace)))
        var logger = Logger(label: "biomed-r1.serve")
        logger.logLevel = .notice
        let host = host, parallel = parallel
        try await server.run(logger: logger) { port in
            // One line on stdout that scripts (and the tests) wait for.
            Terminal.out("biomed-r1 serve: \(lm.name) on http://\(host):\(port) (\(parallel) slots, context \(engine.contextLimit))\n")
        }
        Terminal.error("biomed-r1 serve: stopped")
    }
}
