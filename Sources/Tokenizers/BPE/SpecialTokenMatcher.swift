/// Finds special tokens written out in text, the way llama.cpp's `tokenizer_st_partition` does:
/// tokens are tried longest first, each claiming its leftmost non-overlapping occurrences in the
/// text that earlier (longer) tokens left unclaimed.
///
/// llama.cpp searches the whole text once per special token; a Llama 3 vocabulary has 256 of them.
/// Here one scan over the text collects every candidate occurrence through a two-byte prefix
/// index, and the longest-first claiming then runs over those few candidates only.
struct SpecialTokenMatcher: Sendable {
    /// A piece of text to tokenize, or a special token found in it.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    private struct Entry: Sendable {
        let id: Int32
        let bytes: [UInt8]
        /// Control and unknown tokens are only matched when special tokens are parsed; user-defined
        /// ones always are (as in Hugging Face tokenizers).
        let onlyWhenParsingSpecial: Bool
    }

    /// In priority order: longest text first, then lowest id.
    private let entries: [Entry]
    /// Entries by their first two bytes (`b0 << 8 | b1`); one-byte tokens use `b0 << 8 | 0xFFFF`
    /// equivalents in `singleByte`.
    private let byPrefix: [UInt16: [Int32]]
    private let singleByte: [UInt8: [Int32]]
    /// Whether any entry starts with a given byte: most bytes of most texts end the check here.
    private let firstBytes: [Bool]

    init(tokens: [(id: Int32, text: ArraySlice<UInt8>, onlyWhenParsingSpecial: Bool)]) {
        let sorted = tokens.filter { !$0.text.isEmpty }.sorted {
            $0.text.count != $1.text.count ? $0.text.count > $1.text.count : $0.id < $1.id
        }
        entries = sorted.map { Entry(id: $0.id, bytes: Array($0.text), onlyWhenParsingSpecial: $0.onlyWhenParsingSpecial) }
        var byPrefix: [UInt16: [Int32]] = [:]
        var singleByte: [UInt8: [Int32]] = [:]
        var firstBytes = [Bool](repeating: false, count: 256)
        for (index, entry) in entries.enumerated() {
            firstBytes[Int(entry.bytes[0])] = true
            if entry.bytes.count == 1 {
                singleByte[entry.bytes[0], default: []].append(Int32(index))
            } else {
                byPrefix[UInt16(entry.bytes[0]) << 8 | UInt16(entry.bytes[1]), default: []].append(Int32(index))
            }
        }
        self.byPrefix = byPrefix
        self.singleByte = singleByte
        self.firstBytes = firstBytes
    }

    /// The number of special tokens it looks for.
    var count: Int { entries.count }

    /// Cuts `text` into runs of plain text and special tokens.
    func partition(_ text: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [Fragment] {
        let n = text.count
        if n == 0 { return [] }
        // Every occurrence of every allowed token, as (entry index, start).
        var found: [(entry: Int32, start: Int)] = []
        for p in 0..<n where firstBytes[Int(text[p])] {
            if let singles = singleByte[text[p]] {
                for e in singles where parseSpecial || !entries[Int(e)].onlyWhenParsingSpecial {
                    found.append((e, p))
                }
            }
            guard p + 1 < n, let candidates = byPrefix[UInt16(text[p]) << 8 | UInt16(text[p + 1])] else { continue }
            for e in candidates {
                let entry = entries[Int(e)]
                guard parseSpecial || !entry.onlyWhenParsingSpecial, p + entry.bytes.count <= n else { continue }
                var match = true
                for i in 2..<entry.bytes.count where text[p + i] != entry.bytes[i] { match = false; break }
                if match { found.append((e, p)) }
            }
        }
        if found.isEmpty { return [.text(0..<n)] }

        // Claim occurrences in priority order; `found` is by position, so sorting by entry keeps
        // each token's occurrences left to right.
        found.sort { $0.entry != $1.entry ? $0.entry < $1.entry : $0.start < $1.start }
        var claimed: [(start: Int, end: Int, id: Int32)] = []
        var i = 0
        while i < found.count {
            let e = found[i].entry
            let length = entries[Int(e)].bytes.count
            var resumeAt = 0
            while i < found.count && found[i].entry == e {
                let start = found[i].start, end = start + length
                i += 1
                guard start >= resumeAt else { continue }
                // Claimed spans are few; a linear overlap check is cheaper than keeping them sorted.
                if claimed.contains(where: { $0.start < end && start < $0.end }) { continue }
                claimed.append((start, end, entries[Int(e)].id))
                resumeAt = end
            }
        }
        claimed.sort { $0.start < $1.start }
        var fragments: [Fragment] = []
        var position = 0
        for c in claimed {
            if c.start > position { fragments.append(.text(position..<c.start)) }
            fragments.append(.token(c.id))
            position = c.end
        }
        if position < n { fragments.append(.text(position..<n)) }
        return fragments
    }
}
