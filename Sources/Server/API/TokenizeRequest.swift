/// The body of `POST /tokenize`, in llama.cpp's shape (`content`, `add_special`) or vLLM's
/// (`prompt` or `messages`, `add_special_tokens`). Special tokens written in the text are
/// recognised. Special tokens (BOS) are added by default for vLLM's shape, not for llama.cpp's,
/// as each server does.
struct TokenizeRequest: Decodable, Sendable {
    var text: String?
    var messages: [ChatRequestMessage]?
    var addSpecial: Bool

    private enum CodingKeys: String, CodingKey {
        case content, prompt, messages, addSpecial = "add_special", addSpecialTokens = "add_special_tokens"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let content = try c.decodeIfPresent(String.self, forKey: .content)
        text = try content ?? c.decodeIfPresent(String.self, forKey: .prompt)
        messages = try c.decodeIfPresent([ChatRequestMessage].self, forKey: .messages)
        addSpecial = try c.decodeIfPresent(Bool.self, forKey: .addSpecial)
            ?? c.decodeIfPresent(Bool.self, forKey: .addSpecialTokens)
            ?? (content == nil)
        guard (text == nil) != (messages == nil) else {
            throw APIError.invalidRequest("Send exactly one of 'content' (or 'prompt') and 'messages'", param: "content")
        }
    }
}

/// The body of `POST /detokenize`.
struct DetokenizeRequest: Decodable, Sendable {
    var tokens: [Int32]
}
