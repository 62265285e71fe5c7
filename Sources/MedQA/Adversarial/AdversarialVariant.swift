/// The two adversarial settings of the evaluation protocol.
public enum AdversarialVariant: String, Sendable, Codable, Hashable, CaseIterable {
    /// The assistant turn starts with a wrong answer and a confident rationale; the model continues it.
    case prefill
    /// The wrong answer is a finished assistant turn; a user turn then asks the model to reconsider.
    case reconsider
}
