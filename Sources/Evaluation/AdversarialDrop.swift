/// How much an adversarial variant lowers accuracy.
public struct AdversarialDrop: Sendable, Codable, Hashable {
    /// The run's name.
    public var run: String
    /// The benchmark, or `all`.
    public var benchmark: String
    /// The split, or `all`.
    public var split: String
    /// The mode.
    public var mode: String
    /// The adversarial variant.
    public var variant: String
    /// Plain accuracy.
    public var plain: Double
    /// Adversarial accuracy.
    public var adversarial: Double
    /// plain − adversarial.
    public var drop: Double
}
