/// A request inside the engine, from ``BatchEngine/submit(_:)`` to its last event.
final class EngineJob: @unchecked Sendable {
    let request: GenerationRequest
    let continuation: AsyncThrowingStream<GenerationEvent, Error>.Continuation
    /// Set when the consumer went away; guarded by the scheduler's lock.
    var cancelled = false

    init(request: GenerationRequest, continuation: AsyncThrowingStream<GenerationEvent, Error>.Continuation) {
        self.request = request
        self.continuation = continuation
    }
}
