/// One generated token and the text it made visible.
public struct GeneratedToken: Sendable {
    /// The token id.
    public var id: Int32
    /// The text that can be shown now. It is empty while the token ends in an incomplete UTF-8
    /// character or could begin a stop string, and then a later token's text carries it; the last
    /// token's text includes everything still held back.
    public var text: String
    /// The token's log-probability under the model (before penalties and temperature), when asked.
    public var logprob: Float?
    /// The most likely tokens at this step with their log-probabilities, most likely first, when asked.
    public var topLogprobs: [TokenLogprob]

    /// A generated token.
    public init(id: Int32, text: String, logprob: Float? = nil, topLogprobs: [TokenLogprob] = []) {
        self.id = id
        self.text = text
        self.logprob = logprob
        self.topLogprobs = topLogprobs
    }
}
