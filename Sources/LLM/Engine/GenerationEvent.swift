/// What a ``BatchEngine`` reports about one request as it runs.
public enum GenerationEvent: Sendable {
    /// The prompt's tokens scored, first to last, when the request asked for
    /// ``GenerationRequest/promptLogprobs``: reported once, before any token.
    case prompt([PromptTokenLogprob])
    /// A token was generated. Every generated token is reported once, in order, including the
    /// end-of-generation token.
    case token(GeneratedToken)
    /// The request ended; the result's text is the concatenation of every token event's text.
    case finished(GenerationResult)
}
