/// One prompt of `/v1/completions`: text, or token ids sent as they are.
enum CompletionPrompt: Sendable, Equatable {
    case text(String)
    case tokens([Int32])
}

/// `/v1/completions`' `prompt`: a string, a list of token ids, or a list of either.
struct CompletionPrompts: Decodable, Sendable {
    var prompts: [CompletionPrompt]

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            prompts = [.text(text)]
        } else if let ids = try? container.decode([Int32].self) {
            prompts = [.tokens(ids)]
        } else if let texts = try? container.decode([String].self) {
            prompts = texts.map(CompletionPrompt.text)
        } else if let lists = try? container.decode([[Int32]].self) {
            prompts = lists.map(CompletionPrompt.tokens)
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath,
                      debugDescription: "prompt must be a string, a list of token ids, or a list of strings or of token-id lists"))
        }
    }
}
