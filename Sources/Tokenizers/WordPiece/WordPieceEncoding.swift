/// The ids of one encoded text (or text pair) with the segment of each token, as BERT takes them.
public struct WordPieceEncoding: Sendable, Equatable {
    /// Token ids, `[CLS]`/`[SEP]` included when requested.
    public var ids: [Int32]
    /// Segment (token type) ids: 0 for the first text and its specials, 1 for the second.
    public var typeIDs: [Int32]

    /// Wraps encoded ids and their segments.
    public init(ids: [Int32], typeIDs: [Int32]) {
        self.ids = ids
        self.typeIDs = typeIDs
    }
}
