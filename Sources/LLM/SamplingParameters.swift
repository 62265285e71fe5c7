/// How the next token is chosen from the logits. The defaults are llama.cpp's.
public struct SamplingParameters: Sendable, Equatable, Codable {
    /// Softmax temperature; 0 or less picks the most likely token (greedy, deterministic).
    public var temperature: Float = 0.8
    /// Keep only the `topK` most likely tokens (0: all).
    public var topK: Int = 40
    /// Keep the smallest set of tokens whose probabilities add up to `topP` (1: all).
    public var topP: Float = 0.95
    /// Drop tokens less likely than `minP` times the most likely one (0: none).
    public var minP: Float = 0.05
    /// Divide positive (multiply negative) logits of recently seen tokens by this (1: off).
    public var repeatPenalty: Float = 1.0
    /// How many recent tokens the repeat penalty looks at.
    public var repeatLastN: Int = 64
    /// OpenAI-style penalty per occurrence of a token in the recent window (0: off).
    public var frequencyPenalty: Float = 0
    /// OpenAI-style penalty for any occurrence of a token in the recent window (0: off).
    public var presencePenalty: Float = 0
    /// The random seed; the same seed, prompt and model give the same text.
    public var seed: UInt64 = 0

    /// llama.cpp's default sampling with the given seed.
    public init(seed: UInt64 = 0) {
        self.seed = seed
    }

    /// Greedy decoding.
    public static var greedy: SamplingParameters {
        var p = SamplingParameters()
        p.temperature = 0
        return p
    }
}
