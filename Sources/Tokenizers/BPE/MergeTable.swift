/// The BPE merges as an open-addressing hash table from a pair of token ids to the merge's rank
/// and the id of the merged token. Keying by ids rather than strings makes each lookup in the
/// merge loop one multiply and, almost always, one probe.
struct MergeTable: Sendable {
    private let keys: [UInt64]
    /// `rank << 32 | result`.
    private let values: [UInt64]
    private let mask: Int
    private static let empty = UInt64.max

    /// The number of merges held.
    let count: Int

    /// Builds the table from `(left, right, result)` triples in rank order; a pair that appears
    /// again keeps its first (best) rank, as llama.cpp's `bpe_ranks.emplace` does.
    init(merges: [(left: Int32, right: Int32, result: Int32)]) {
        var capacity = 16
        while capacity < merges.count * 2 { capacity <<= 1 }
        var keys = [UInt64](repeating: Self.empty, count: capacity)
        var values = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        var count = 0
        for (rank, m) in merges.enumerated() {
            let key = Self.key(m.left, m.right)
            var slot = Self.slot(key, mask)
            while keys[slot] != Self.empty && keys[slot] != key { slot = (slot + 1) & mask }
            if keys[slot] == key { continue }
            keys[slot] = key
            values[slot] = UInt64(rank) << 32 | UInt64(UInt32(bitPattern: m.result))
            count += 1
        }
        self.keys = keys
        self.values = values
        self.mask = mask
        self.count = count
    }

    /// The rank and merged id of `left` followed by `right`, or nil when they do not merge.
    @inline(__always)
    func lookup(_ left: Int32, _ right: Int32) -> (rank: Int32, result: Int32)? {
        let key = Self.key(left, right)
        var slot = Self.slot(key, mask)
        return keys.withUnsafeBufferPointer { keys in
            while true {
                let k = keys[slot]
                // A pair involving -1 (a byte missing from the vocabulary) could spell `empty`.
                if k == Self.empty { return nil }
                if k == key {
                    let v = values[slot]
                    return (Int32(truncatingIfNeeded: v >> 32), Int32(truncatingIfNeeded: v))
                }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
    }
}
