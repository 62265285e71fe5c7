/// Two runs compared on the items both answered.
public struct RunComparison: Sendable, Codable, Hashable {
    /// The first run.
    public var first: String
    /// The second run.
    public var second: String
    /// The benchmark, or `all`.
    public var benchmark: String
    /// The mode.
    public var mode: String
    /// The variant.
    public var variant: String
    /// Items both runs answered.
    public var paired: Int
    /// The first run's accuracy on them.
    public var firstAccuracy: Double
    /// The second run's accuracy on them.
    public var secondAccuracy: Double
    /// Right only in the first.
    public var onlyFirst: Int
    /// Right only in the second.
    public var onlySecond: Int
    /// McNemar's exact two-sided p-value.
    public var pValue: Double
}
