import LLM

/// What one choice produced, gathered for a non-streamed response.
struct ChoiceOutput: Sendable {
    /// The prompt's tokens scored, when asked for.
    var prompt: [PromptTokenLogprob]?
    /// The tokens in order, with their log probabilities when asked for.
    var tokens: [GeneratedToken] = []
    /// The engine's result, once the choice finished.
    var result: GenerationResult?

    /// OpenAI's finish reason: `stop` (end of text or a stop string) or `length`.
    var finishReason: String { result.map(Self.finishReason) ?? "stop" }

    static func finishReason(_ result: GenerationResult) -> String {
        result.finishReason == .length ? "length" : "stop"
    }

    /// Gathers every choice of `submission`, cancelled when the client disconnects.
    static func collect(_ submission: ChoiceSubmission, disconnect: DisconnectWatch) async throws -> [ChoiceOutput] {
        let events = submission.events, count = submission.choiceCount
        let outputs = try await disconnect.cancellingOnClose {
            var outputs = Array(repeating: ChoiceOutput(), count: count)
            for try await choice in events {
                switch choice.event {
                case .prompt(let scores): outputs[choice.index].prompt = scores
                case .token(let token): outputs[choice.index].tokens.append(token)
                case .finished(let result): outputs[choice.index].result = result
                }
            }
            try Task.checkCancellation()
            return outputs
        }
        return outputs
    }
}
