/// One prompt token scored by the model: how likely it was after the tokens before it.
public struct PromptTokenLogprob: Sendable, Equatable {
    /// The token id.
    public var id: Int32
    /// Its log-probability given the prompt before it (before penalties and temperature); `nil` for the
    /// first token, which nothing precedes.
    public var logprob: Float?
    /// The most likely tokens at its position, most likely first (empty for the first token).
    public var topLogprobs: [TokenLogprob]

    /// A scored prompt token.
    public init(id: Int32, logprob: Float?, topLogprobs: [TokenLogprob] = []) {
        self.id = id
        self.logprob = logprob
        self.topLogprobs = topLogprobs
    }
}
