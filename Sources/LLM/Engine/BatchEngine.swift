import Foundation

/// Generates for many requests at once on one model: continuous batching.
///
/// Each running request owns a slot of one shared KV cache. Every step runs one forward pass
/// holding the next token of each decoding request and the prompts of requests that just got a
/// slot, so requests join and leave between steps and a long answer never holds up a short one.
/// Each request keeps its own sampling settings and random stream, and a sequence's numbers do
/// not depend on what else shares its passes: with greedy sampling a request gives the same
/// tokens alone, among others, or through ``GenerationSession``.
///
/// A freed slot keeps its tokens' keys and values, and a new request whose prompt shares a prefix
/// with them takes that slot and skips the shared part (an adversarial variant of a question,
/// the next turn of a chat).
///
/// The engine owns its model's forward pass: while it runs, nothing else may call
/// `languageModel.model.forward` (a ``GenerationSession`` on the same model included).
public final class BatchEngine: Sendable {
    /// Capacity settings.
    public struct Configuration: Sendable {
        /// Sequences decoding at once (KV-cache slots).
        public var slots: Int
        /// The most positions a sequence may hold; the model's context length by default.
        public var contextLimit: Int?
        /// The most requests waiting for a slot before ``submit(_:)`` answers ``EngineError/queueFull(limit:)``.
        public var maxQueued: Int

        /// Settings with `slots` slots, an optional context limit and a queue of `maxQueued` requests.
        public init(slots: Int = 4, contextLimit: Int? = nil, maxQueued: Int = 64) {
            self.slots = max(1, slots)
            self.contextLimit = contextLimit
            self.maxQueued = max(0, maxQueued)
        }
    }

    /// The model.
    public let languageModel: LanguageModel
    /// The capacity settings.
    public let configuration: Configuration
    private let scheduler: EngineScheduler

    /// Starts an engine on `languageModel` (a thread of its own drives the model).
    public init(languageModel: LanguageModel, configuration: Configuration = .init()) {
        self.languageModel = languageModel
        self.configuration = configuration
        scheduler = EngineScheduler(languageModel: languageModel, configuration: configuration)
        scheduler.start()
    }

    deinit {
        scheduler.requestStop(cancelInFlight: true)
    }

    /// The positions one sequence may hold.
    public var contextLimit: Int { scheduler.contextLimit }

    /// Queues `request` and returns its events: its tokens as they come, then its result.
    ///
    /// Problems with the request itself are thrown here, before it is queued: an empty prompt, a
    /// token outside the vocabulary, a prompt that leaves no room in the context, a full queue, or
    /// an engine that is shutting down. Cancelling the task that iterates the stream, or dropping
    /// the stream, cancels the request and frees its slot at the next step.
    public func submit(_ request: GenerationRequest) throws -> AsyncThrowingStream<GenerationEvent, Error> {
        try scheduler.validate(request)
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GenerationEvent.self)
        let job = EngineJob(request: request, continuation: continuation)
        continuation.onTermination = { [weak scheduler, weak job] _ in
            if let scheduler, let job { scheduler.cancel(job) }
        }
        try scheduler.enqueue(job)
        return stream
    }

    /// Runs `request` to its end and returns the result.
    public func generate(_ request: GenerationRequest) async throws -> GenerationResult {
        for try await event in try submit(request) {
            if case .finished(let result) = event { return result }
        }
        throw CancellationError()
    }

    /// The engine's load and counters now.
    public var metrics: EngineMetrics { scheduler.metrics }

    /// Stops taking requests and returns once the engine's thread has ended: after the requests
    /// already taken have finished, or, with `cancelInFlight`, after they were cancelled (each
    /// still receives its result, with ``GenerationResult/FinishReason/cancelled``).
    public func shutdown(cancelInFlight: Bool) async {
        scheduler.requestStop(cancelInFlight: cancelInFlight)
        await scheduler.waitUntilStopped()
    }
}
