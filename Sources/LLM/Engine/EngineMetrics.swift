/// A snapshot of a ``BatchEngine``'s load and counters, for monitoring.
public struct EngineMetrics: Sendable, Equatable {
    /// Sequence slots (the most requests decoding at once).
    public var slots: Int
    /// Requests decoding now.
    public var running: Int
    /// Requests waiting for a slot.
    public var queued: Int
    /// Prompt tokens run through the model since start (reused cached prefixes excluded).
    public var promptTokens: Int
    /// Tokens generated since start.
    public var generatedTokens: Int
    /// Requests that ended since start, for any reason.
    public var requestsFinished: Int
    /// KV-cache positions held by running requests.
    public var kvCacheUsedPositions: Int
    /// KV-cache positions all slots may hold (slots × context limit).
    public var kvCacheCapacityPositions: Int
    /// Seconds spent in forward passes since start.
    public var busySeconds: Double

    /// A snapshot with the given values.
    public init(slots: Int, running: Int = 0, queued: Int = 0, promptTokens: Int = 0, generatedTokens: Int = 0,
                requestsFinished: Int = 0, kvCacheUsedPositions: Int = 0, kvCacheCapacityPositions: Int = 0,
                busySeconds: Double = 0) {
        self.slots = slots
        self.running = running
        self.queued = queued
        self.promptTokens = promptTokens
        self.generatedTokens = generatedTokens
        self.requestsFinished = requestsFinished
        self.kvCacheUsedPositions = kvCacheUsedPositions
        self.kvCacheCapacityPositions = kvCacheCapacityPositions
        self.busySeconds = busySeconds
    }
}
