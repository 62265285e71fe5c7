/// One sequence to generate: the prompt's token ids and how to continue them.
public struct GenerationRequest: Sendable {
    /// The token ids of the whole sequence so far (a rendered chat, or a raw completion prompt).
    public var prompt: [Int32]
    /// The most tokens to generate; the context limit may cut it shorter.
    public var maxTokens: Int
    /// How to pick each token.
    public var sampling: SamplingParameters
    /// Texts that end generation when they appear (they are not part of the output).
    public var stop: [String]
    /// `nil` for no log-probabilities; `k ≥ 0` for the chosen token's and the `k` most likely
    /// alternatives' at every step.
    public var topLogprobs: Int?
    /// `nil` for none; `k ≥ 0` to score the prompt too: every prompt token's log-probability given the tokens
    /// before it and the `k` most likely alternatives, reported once (``GenerationEvent/prompt(_:)``) before
    /// the first generated token. The prompt then runs whole, without reusing a cached prefix, and
    /// `maxTokens` may be 0 (score only).
    public var promptLogprobs: Int?

    /// A request to continue `prompt` for up to `maxTokens` tokens.
    public init(prompt: [Int32], maxTokens: Int, sampling: SamplingParameters = .greedy, stop: [String] = [],
                topLogprobs: Int? = nil, promptLogprobs: Int? = nil) {
        self.prompt = prompt
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stop = stop
        self.topLogprobs = topLogprobs
        self.promptLogprobs = promptLogprobs
    }
}
