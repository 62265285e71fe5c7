import Foundation

/// What can go wrong while a backend answers.
public enum BackendError: Error, CustomStringConvertible, Equatable {
    /// The model has no chat template, and none was given.
    case noChatTemplate(model: String)
    /// The chat template dropped the prefilled assistant text, so it cannot be continued.
    case prefillNotRendered(questionID: String)
    /// The prompt does not fit the model's context.
    case promptTooLong(questionID: String, tokens: Int, limit: Int)
    /// An HTTP endpoint failed for good (after retries).
    case http(endpoint: String, status: Int?, message: String)
    /// The server's answer could not be read.
    case malformedResponse(endpoint: String, detail: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .noChatTemplate(let model):
            "model \(model) has no chat template; pass one with --template (a GGUF or Jinja file)"
        case .prefillNotRendered(let id):
            "question \(id): the chat template dropped the prefilled assistant text, so the adversarial prefill cannot be continued"
        case .promptTooLong(let id, let tokens, let limit):
            "question \(id): the prompt has \(tokens) tokens, more than the context of \(limit); pass a larger --ctx or a smaller --max-tokens"
        case .http(let endpoint, let status, let message):
            "\(endpoint): " + (status.map { "HTTP \($0): " } ?? "") + message
        case .malformedResponse(let endpoint, let detail):
            "\(endpoint) answered something that is not an OpenAI completion: \(detail)"
        }
    }
}
