import LLM

extension APIError {
    /// The client-facing error for what the engine or model threw on submission.
    static func from(engine error: Error, retryAfter: Int, promptField: String = "prompt") -> APIError {
        switch error {
        case let error as APIError:
            return error
        case EngineError.queueFull(let limit):
            return .queueFull(limit: limit, retryAfter: retryAfter)
        case EngineError.shuttingDown:
            return .shuttingDown
        case ModelError.contextOverflow(let needed, let limit):
            return .invalidRequest(
                "This model's maximum context length is \(limit) tokens; the prompt needs \(needed). Shorten the prompt or messages.",
                param: promptField, code: "context_length_exceeded")
        case ModelError.emptyPrompt:
            return .invalidRequest("The prompt is empty: there is nothing to continue from", param: promptField)
        case ModelError.invalidToken(let id, let size):
            return .invalidRequest("Token id \(id) is outside the vocabulary of \(size) tokens", param: promptField)
        default:
            return .internalError("\(error)")
        }
    }
}
