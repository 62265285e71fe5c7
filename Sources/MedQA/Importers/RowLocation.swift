/// Where in a benchmark file a row is, for error messages a user can act on.
public enum RowLocation: Sendable, Hashable, CustomStringConvertible {
    /// A 1-based line of a JSONL or CSV file (for CSV, the line the record starts on).
    case line(Int)
    /// A 0-based index into a JSON array.
    case row(Int)
    /// A key of a JSON object (PubMedQA's PMIDs), optionally with an index into the list under it.
    case key(String, index: Int?)

    public var description: String {
        switch self {
        case .line(let line): "line \(line)"
        case .row(let row): "row \(row)"
        case .key(let key, let index?): "key \"\(key)\" row \(index)"
        case .key(let key, nil): "key \"\(key)\""
        }
    }
}
