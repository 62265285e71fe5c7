/// One server-sent event of a streamed chat completion.
struct ChatCompletionChunk: Encodable, Sendable {
    struct Delta: Encodable, Sendable {
        var role: String?
        var content: String?
    }

    struct Choice: Encodable, Sendable {
        var index: Int
        var delta: Delta
        var logprobs: Nullable<ChatLogprobs>
        var finishReason: Nullable<String>

        private enum CodingKeys: String, CodingKey { case index, delta, logprobs, finishReason = "finish_reason" }
    }

    var id: String
    var object = "chat.completion.chunk"
    var created: Int
    var model: String
    var choices: [Choice]
    /// Written (as null until the last chunk) only when the client asked for usage.
    var usage: Nullable<Usage>?
}
