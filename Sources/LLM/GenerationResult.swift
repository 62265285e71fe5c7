/// What one generation produced and how long it took.
public struct GenerationResult: Sendable {
    /// Why generation ended.
    public enum FinishReason: String, Sendable {
        /// The model produced an end-of-generation token.
        case endOfGeneration = "stop"
        /// A stop string appeared (it is not part of the text).
        case stopString = "stop_string"
        /// The token limit was reached.
        case length
        /// The caller asked to stop.
        case cancelled
    }

    /// The generated text (without a matched stop string).
    public var text: String
    /// The generated token ids (with the end-of-generation token, if any).
    public var tokens: [Int32]
    /// Why it ended.
    public var finishReason: FinishReason
    /// Prompt tokens run through the model (cached prefix tokens excluded).
    public var prefillTokens: Int
    /// Prompt tokens in all, cached or not.
    public var promptTokens: Int
    /// Seconds spent on the prompt.
    public var prefillSeconds: Double
    /// Seconds spent generating after the prompt.
    public var decodeSeconds: Double

    /// Prompt tokens per second.
    public var prefillRate: Double { prefillSeconds > 0 ? Double(prefillTokens) / prefillSeconds : 0 }
    /// Generated tokens per second (the first token comes from the prompt pass, so it is not counted).
    public var decodeRate: Double { decodeSeconds > 0 ? Double(max(0, tokens.count - 1)) / decodeSeconds : 0 }
}
