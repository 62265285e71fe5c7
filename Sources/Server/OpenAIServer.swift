import Foundation
import LLM
import Logging
import ServiceLifecycle
import UnixSignals

/// An OpenAI-compatible HTTP API over one continuously batched engine: `/v1/models`,
/// `/v1/chat/completions`, `/v1/completions`, `/tokenize`, `/detokenize`, `/health`, `/metrics`.
public struct OpenAIServer: Sendable {
    /// The engine every request shares.
    public let engine: BatchEngine
    /// How the server listens.
    public let configuration: ServerConfiguration
    /// The HTTP counters `/metrics` reports.
    public let metrics = ServerMetrics()
    private let handlers: APIHandlers

    /// A server for `engine`.
    public init(engine: BatchEngine, configuration: ServerConfiguration = .init()) {
        self.engine = engine
        self.configuration = configuration
        let model = engine.languageModel
        handlers = APIHandlers(
            engine: engine, configuration: configuration, metrics: metrics, modelID: configuration.modelID ?? Self.defaultModelID(path: model.path),
            contextLimit: engine.contextLimit,
            baseSampling: model.recommendedSampling ?? SamplingParameters())
    }

    /// The file or folder name without its extension (`SmolLM2-135M-Instruct.Q4_1`): ids that
    /// clients can type, unlike the free-form names in model metadata.
    static func defaultModelID(path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.pathExtension.lowercased() == "gguf" ? url.deletingPathExtension().lastPathComponent : url.lastPathComponent
    }

    /// The routes.
    func router() -> Router {
        var router = Router(apiKey: configuration.apiKey, metrics: metrics)
        let handlers = handlers
        router.add(.GET, "/v1/models") { try handlers.models($0) }
        router.add(.POST, "/v1/chat/completions") { try await handlers.chatCompletions($0) }
        router.add(.POST, "/v1/completions") { try await handlers.completions($0) }
        router.add(.GET, "/health") { try handlers.health($0) }
        router.add(.POST, "/tokenize") { try handlers.tokenize($0) }
        router.add(.POST, "/detokenize") { try handlers.detokenize($0) }
        router.add(.GET, "/metrics") { handlers.prometheusMetrics($0) }
        return router
    }

    /// Serves until a graceful-shutdown signal (then in-flight requests finish, or are cancelled
    /// after the grace period, and this returns) or until the calling task is cancelled.
    /// `onRunning` gets the port listened on (the chosen one when the configuration says 0).
    public func run(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
                    logger: Logger = Logger(label: "biomed-r1.serve"),
                    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = router()
        let http = HTTPServer(host: configuration.host, port: configuration.port, maxBodyBytes: configuration.maxBodyBytes,
                              logger: logger, respond: { await router.respond(to: $0) }, onRunning: onRunning)
        let group = ServiceGroup(configuration: .init(
            services: [http, EngineShutdownService(engine: engine, gracePeriod: configuration.shutdownGracePeriod)],
            gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
        try await group.run()
    }
}
