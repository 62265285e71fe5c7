/// A token id with its log-probability.
public struct TokenLogprob: Sendable, Equatable {
    /// The token id.
    public var id: Int32
    /// Its natural-log probability.
    public var logprob: Float

    /// A token and its log-probability.
    public init(id: Int32, logprob: Float) {
        self.id = id
        self.logprob = logprob
    }
}
