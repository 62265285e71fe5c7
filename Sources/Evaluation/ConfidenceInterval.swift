/// A two-sided interval for a proportion.
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    /// The lower bound.
    public var lower: Double
    /// The upper bound.
    public var upper: Double
    /// An interval.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}
