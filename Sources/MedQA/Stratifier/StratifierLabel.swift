/// The stratifier's verdict on one question.
public struct StratifierLabel: Sendable, Codable, Hashable {
    /// Reasoning-heavy or knowledge-heavy.
    public var split: Split
    /// The probability that the question is reasoning-heavy.
    public var reasoningProbability: Double
    /// The probability of the chosen split.
    public var probability: Double { split == .reasoning ? reasoningProbability : 1 - reasoningProbability }

    /// A label from the probability of `reasoning` (threshold 0.5).
    public init(reasoningProbability: Double) {
        self.reasoningProbability = reasoningProbability
        split = reasoningProbability >= 0.5 ? .reasoning : .knowledge
    }
}
