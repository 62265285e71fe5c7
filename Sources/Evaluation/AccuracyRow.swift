/// Accuracy of one group of items.
public struct AccuracyRow: Sendable, Codable, Hashable {
    /// The run's name.
    public var run: String
    /// The benchmark, or `all`.
    public var benchmark: String
    /// `reasoning`, `knowledge`, `unlabelled`, or `all`.
    public var split: String
    /// The mode.
    public var mode: String
    /// `none`, `prefill` or `reconsider`.
    public var variant: String
    /// Items.
    public var total: Int
    /// Correct items.
    public var correct: Int
    /// Items with no extractable answer (counted wrong).
    public var unparsed: Int
    /// correct ÷ total.
    public var accuracy: Double
    /// Wilson 95 % lower bound.
    public var lower: Double
    /// Wilson 95 % upper bound.
    public var upper: Double
    /// Where its items' splits came from (`StoredItem.splitProvenance`; several joined by "; ").
    public var splitSource: String
}
