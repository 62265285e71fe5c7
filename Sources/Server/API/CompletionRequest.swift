/// The body of `POST /v1/completions`.
struct CompletionRequest: Decodable, Sendable {
    var model: String?
    var prompts: [CompletionPrompt]
    var options: GenerationOptions
    /// Log probabilities of the chosen token and this many alternatives per token.
    var logprobs: Int?
    /// Return the prompt before the completion.
    var echo: Bool

    /// The most alternatives per token.
    static let maxLogprobs = 20
    /// The most prompts one request may send.
    static let maxPrompts = 64

    private enum CodingKeys: String, CodingKey { case model, prompt, logprobs, echo, suffix }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        prompts = try c.decode(CompletionPrompts.self, forKey: .prompt).prompts
        logprobs = try c.decodeInteger(Int.self, forKey: .logprobs)
        echo = try c.decodeIfPresent(Bool.self, forKey: .echo) ?? false
        if let suffix = try c.decodeIfPresent(String.self, forKey: .suffix), !suffix.isEmpty {
            throw APIError.invalidRequest("suffix (fill-in-the-middle) is not supported", param: "suffix")
        }
        options = try GenerationOptions(from: decoder)
    }

    /// Checks the fields, naming the one at fault.
    func validate(contextLimit: Int) throws {
        // With echo, 0 new tokens asks only for the prompt (and its log-probabilities): scoring, as
        // lm-evaluation-harness does it.
        try options.validate(contextLimit: contextLimit, fewestTokens: echo ? 0 : 1)
        guard !prompts.isEmpty else { throw APIError.invalidRequest("prompt must not be an empty list", param: "prompt") }
        guard prompts.count <= Self.maxPrompts else {
            throw APIError.invalidRequest("prompt holds \(prompts.count) prompts; at most \(Self.maxPrompts) are allowed", param: "prompt")
        }
        guard prompts.count * options.n <= GenerationOptions.maxChoices * 4 else {
            throw APIError.invalidRequest("\(prompts.count) prompts × n = \(options.n) asks for too many choices", param: "n")
        }
        if let logprobs, !(0...Self.maxLogprobs).contains(logprobs) {
            throw APIError.invalidRequest("logprobs must be between 0 and \(Self.maxLogprobs), got \(logprobs)", param: "logprobs")
        }
    }
}
