/// Whether a question needs multi-step reasoning or mostly factual recall (the BioMed-R1 stratification).
public enum Split: String, Sendable, Codable, Hashable, CaseIterable {
    /// Reasoning-heavy: answering needs several inferential steps.
    case reasoning
    /// Knowledge-heavy: answering mostly needs recalling a fact.
    case knowledge
}
