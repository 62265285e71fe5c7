import Tokenizers

/// The conversation sent to a backend for one question, ready for the model's chat template.
public struct Prompt: Sendable, Equatable {
    /// The turns, in order.
    public var messages: [ChatMessage]
    /// Whether the last message is an assistant turn the model must *continue* (an adversarial
    /// prefill): the backend renders it with the chat template and leaves the turn open, instead of
    /// closing it and opening a new assistant turn.
    public var continuesFinalMessage: Bool
    /// The question's id.
    public var questionID: String
    /// The mode.
    public var mode: PromptMode
    /// The adversarial setup, if any.
    public var adversarial: AdversarialPrefill?

    /// A prompt.
    public init(messages: [ChatMessage], continuesFinalMessage: Bool, questionID: String, mode: PromptMode, adversarial: AdversarialPrefill?) {
        self.messages = messages
        self.continuesFinalMessage = continuesFinalMessage
        self.questionID = questionID
        self.mode = mode
        self.adversarial = adversarial
    }

    /// The text the answer is extracted from: for a prefill, the prefilled words followed by what
    /// the model wrote, since a model that just continues without restating an answer has accepted
    /// the prefilled one; otherwise the completion alone.
    public func scoredText(completion: String) -> String {
        guard continuesFinalMessage, let prefill = messages.last?.content else { return completion }
        return prefill + completion
    }
}
