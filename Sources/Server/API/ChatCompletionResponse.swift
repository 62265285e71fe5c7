/// The body of a non-streamed chat completion.
struct ChatCompletionResponse: Encodable, Sendable {
    struct Message: Encodable, Sendable {
        var role = "assistant"
        var content: String
    }

    struct Choice: Encodable, Sendable {
        var index: Int
        var message: Message
        var logprobs: Nullable<ChatLogprobs>
        var finishReason: String

        private enum CodingKeys: String, CodingKey { case index, message, logprobs, finishReason = "finish_reason" }
    }

    var id: String
    var object = "chat.completion"
    var created: Int
    var model: String
    var choices: [Choice]
    var usage: Usage
}
