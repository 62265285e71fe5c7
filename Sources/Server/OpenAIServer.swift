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

    /// A server for `engine`; `contextLimit` is the positions one sequence may hold (the model's
    /// trained length by default).
    public init(engine: BatchEngine, configuration: ServerConfiguration = .init(), contextLimit: Int? = nil) {
        self.engine = engine
        self.configuration = configuration
        let model = engine.languageModel
        handlers = APIHandlers(
            engine: engine, configuration: configuration, metrics: metrics, modelID: configuration.modelID ?? model.name,
            contextLimit: contextLimit ?? model.model.config.contextLength,
            baseSampling: model.recommendedSampling ?? SamplingParameters())
    }

    /// The routes.
    func router() -> Router {
        var router = Router(apiKey: configuration.apiKey, metrics: metrics)
        let handlers = handlers
        router.add(.GET, "/v1/models", handlers.models)
        router.add(.POST, "/v1/chat/completions", handlers.chatCompletions)
        router.add(.POST, "/v1/completions", handlers.completions)
        router.add(.GET, "/health", handlers.health)
        router.add(.POST, "/tokenize", handlers.tokenize)
        router.add(.POST, "/detokenize", handlers.detokenize)
        router.add(.GET, "/metrics", handlers.prometheusMetrics)
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
