/// How the model is asked to answer.
public enum PromptMode: String, Sendable, Codable, Hashable, CaseIterable {
    /// Answer with the option's letter only: `Answer: X`.
    case direct
    /// Think step by step, then end with `The answer is X`.
    case reasoning
}
