/// The body of `POST /v1/chat/completions`.
struct ChatCompletionRequest: Decodable, Sendable {
    var model: String?
    var messages: [ChatRequestMessage]
    var options: GenerationOptions
    /// Whether to return log probabilities of the chosen tokens.
    var logprobs: Bool
    /// How many alternatives to return per token (needs `logprobs`).
    var topLogprobs: Int?
    /// Continue the final (assistant) message instead of closing it and opening a new turn. Absent,
    /// it is true exactly when the final message is the assistant's: a prefill.
    var continueFinalMessage: Bool?

    /// The most alternatives per token, as OpenAI allows.
    static let maxTopLogprobs = 20
    /// Roles a chat template may be asked to render.
    static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool"]

    private enum CodingKeys: String, CodingKey {
        case model, messages, logprobs, topLogprobs = "top_logprobs", continueFinalMessage = "continue_final_message"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        messages = try c.decode([ChatRequestMessage].self, forKey: .messages)
        logprobs = try c.decodeIfPresent(Bool.self, forKey: .logprobs) ?? false
        topLogprobs = try c.decodeInteger(Int.self, forKey: .topLogprobs)
        continueFinalMessage = try c.decodeIfPresent(Bool.self, forKey: .continueFinalMessage)
        options = try GenerationOptions(from: decoder)
    }

    /// Checks the fields, naming the one at fault.
    func validate(contextLimit: Int) throws {
        try options.validate(contextLimit: contextLimit)
        guard let last = messages.last else {
            throw APIError.invalidRequest("messages must hold at least one message", param: "messages")
        }
        for (i, message) in messages.enumerated() where !Self.roles.contains(message.role) {
            throw APIError.invalidRequest(
                "messages[\(i)].role '\(message.role)' is not one of \(Self.roles.sorted().joined(separator: ", "))",
                param: "messages[\(i)].role")
        }
        if continueFinalMessage == true, last.role != "assistant" {
            throw APIError.invalidRequest(
                "continue_final_message needs a final assistant message to continue; the final message is the \(last.role)'s",
                param: "continue_final_message")
        }
        if let topLogprobs {
            guard (0...Self.maxTopLogprobs).contains(topLogprobs) else {
                throw APIError.invalidRequest("top_logprobs must be between 0 and \(Self.maxTopLogprobs), got \(topLogprobs)", param: "top_logprobs")
            }
            guard logprobs else {
                throw APIError.invalidRequest("top_logprobs needs logprobs set to true", param: "top_logprobs")
            }
        }
    }

    /// Whether the final message is continued.
    var continuesFinalMessage: Bool {
        continueFinalMessage ?? (messages.last?.role == "assistant")
    }

    /// The engine's `topLogprobs`: nil without logprobs.
    var engineTopLogprobs: Int? { logprobs ? (topLogprobs ?? 0) : nil }
}
