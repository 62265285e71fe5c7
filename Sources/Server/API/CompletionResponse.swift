/// The body of a completion, and each server-sent event of a streamed one (OpenAI uses one shape).
struct CompletionResponse: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
        var index: Int
        var text: String
        var logprobs: Nullable<CompletionLogprobs>
        var finishReason: Nullable<String>

        private enum CodingKeys: String, CodingKey { case index, text, logprobs, finishReason = "finish_reason" }
    }

    var id: String
    var object = "text_completion"
    var created: Int
    var model: String
    var choices: [Choice]
    /// Always present in a full response; in a stream, as null until the last chunk when asked for.
    var usage: Nullable<Usage>?
}
