/// Completions' `logprobs`: parallel lists of tokens, their log probabilities, the top
/// alternatives as `{token: logprob}` and each token's character offset in the text.
struct CompletionLogprobs: Encodable, Sendable {
    var tokens: [String] = []
    /// Null for the first echoed prompt token only: nothing precedes it.
    var tokenLogprobs: [Float?] = []
    var topLogprobs: [[String: Float]?] = []
    var textOffset: [Int] = []

    private enum CodingKeys: String, CodingKey {
        case tokens, tokenLogprobs = "token_logprobs", topLogprobs = "top_logprobs", textOffset = "text_offset"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tokens, forKey: .tokens)
        try c.encode(tokenLogprobs.map(Nullable.init), forKey: .tokenLogprobs)
        try c.encode(topLogprobs.map(Nullable.init), forKey: .topLogprobs)
        try c.encode(textOffset, forKey: .textOffset)
    }
}
