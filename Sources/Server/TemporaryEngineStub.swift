// TEMPORARY: the lead's BatchEngine API, served one request at a time by a GenerationSession, so the
// server builds and runs before the engine lands. Deleted when main (with LLM.BatchEngine) is merged.
import Foundation
import LLM

public struct GenerationRequest: Sendable {
    public var prompt: [Int32]; public var maxTokens: Int; public var sampling: SamplingParameters
    public var stop: [String]
    public var topLogprobs: Int?
    public init(prompt: [Int32], maxTokens: Int, sampling: SamplingParameters = .greedy, stop: [String] = [], topLogprobs: Int? = nil) {
        self.prompt = prompt; self.maxTokens = maxTokens; self.sampling = sampling; self.stop = stop; self.topLogprobs = topLogprobs
    }
}
public enum GenerationEvent: Sendable { case token(GeneratedToken); case finished(GenerationResult) }
public struct GeneratedToken: Sendable { public var id: Int32; public var text: String; public var logprob: Float?; public var topLogprobs: [TokenLogprob] }
public struct TokenLogprob: Sendable, Equatable { public var id: Int32; public var logprob: Float }
public struct EngineMetrics: Sendable { public var slots = 1, running = 0, queued = 0, promptTokens = 0, generatedTokens = 0, requestsFinished = 0, kvCacheUsedPositions = 0, kvCacheCapacityPositions = 0; public var busySeconds: Double = 0 }
public enum EngineError: Error, CustomStringConvertible {
    case queueFull(limit: Int); case shuttingDown
    public var description: String { "\(self)" }
}
public final class BatchEngine: @unchecked Sendable {
    public struct Configuration: Sendable { public var slots: Int; public var contextLimit: Int?; public var maxQueued: Int
        public init(slots: Int = 4, contextLimit: Int? = nil, maxQueued: Int = 64) { self.slots = slots; self.contextLimit = contextLimit; self.maxQueued = maxQueued } }
    public let languageModel: LanguageModel
    let configuration: Configuration
    let session: GenerationSession
    let queue = DispatchQueue(label: "stub-engine")
    let lock = NSLock()
    var waiting = 0
    var closed = false
    var counters = EngineMetrics()
    public init(languageModel: LanguageModel, configuration: Configuration = .init()) {
        self.languageModel = languageModel; self.configuration = configuration
        session = GenerationSession(languageModel: languageModel, contextLimit: configuration.contextLimit)
    }
    public func submit(_ request: GenerationRequest) throws -> AsyncThrowingStream<GenerationEvent, Error> {
        let limit = session.cache.contextLimit
        guard !request.prompt.isEmpty else { throw ModelError.emptyPrompt }
        guard request.prompt.count + 1 <= limit else { throw ModelError.contextOverflow(needed: request.prompt.count + 1, limit: limit) }
        try lock.withLock {
            if closed { throw EngineError.shuttingDown }
            if waiting >= configuration.maxQueued + 1 { throw EngineError.queueFull(limit: configuration.maxQueued) }
            waiting += 1
        }
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, Error>.makeStream()
        final class Flag: @unchecked Sendable { var cancelled = false }
        let flag = Flag()
        continuation.onTermination = { _ in flag.cancelled = true }
        queue.async { [self] in
            defer { lock.withLock { waiting -= 1 } }
            do {
                let result = try session.generate(prompt: request.prompt, maxTokens: request.maxTokens, sampling: request.sampling, stop: request.stop) { text in
                    continuation.yield(.token(GeneratedToken(id: 0, text: text, logprob: nil, topLogprobs: [])))
                    return !flag.cancelled
                }
                lock.withLock { counters.promptTokens += result.promptTokens; counters.generatedTokens += result.tokens.count; counters.requestsFinished += 1 }
                continuation.yield(.finished(result))
                continuation.finish()
            } catch { continuation.finish(throwing: error) }
        }
        return stream
    }
    public func generate(_ request: GenerationRequest) async throws -> GenerationResult {
        for try await event in try submit(request) { if case .finished(let r) = event { return r } }
        throw CancellationError()
    }
    public var metrics: EngineMetrics { lock.withLock { var m = counters; m.queued = waiting; return m } }
    public func shutdown(cancelInFlight: Bool) async { lock.withLock { closed = true } }
}
