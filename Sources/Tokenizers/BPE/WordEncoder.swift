/// Encodes plain text (no special tokens) with a ``BPETokenizer``: decodes it into code points,
/// pre-tokenizes it into words and merges each word's bytes. Its buffers are reused for every
/// fragment and word of one `encode` call.
struct WordEncoder {
    private let tokenizer: BPETokenizer
    private var cpts: [UInt32] = []
    private var flags: [UInt16] = []
    /// The UTF-8 offset of each code point, plus the end.
    private var offsets: [Int] = []
    private var ends: [Int] = []
    private var scratchEnds: [Int] = []
    private var symbols: [Int32] = []
    private var ranks: [Int32] = []
    private var results: [Int32] = []
    private var key: [UInt8] = []

    init(tokenizer: BPETokenizer) {
        self.tokenizer = tokenizer
    }

    /// Appends the tokens of `text` to `output`.
    mutating func encode(_ text: UnsafeBufferPointer<UInt8>, into output: inout [Int32]) {
        decode(text)
        if cpts.isEmpty { return }
        ends.removeAll(keepingCapacity: true)
        ends.append(cpts.count)
        cpts.withUnsafeBufferPointer { cpts in
            flags.withUnsafeBufferPointer { flags in
                for stage in tokenizer.stages {
                    stage.split(cpts, flags, pieces: ends, into: &scratchEnds)
                    swap(&ends, &scratchEnds)
                }
            }
        }
        var start = 0
        for end in ends {
            let word = UnsafeBufferPointer(rebasing: text[offsets[start]..<offsets[end]])
            encodeWord(word, into: &output)
            start = end
        }
    }

    /// Decodes UTF-8 into code points and their character classes; a malformed byte becomes
    /// U+FFFD on its own, as in llama.cpp's `unicode_cpts_from_utf8`.
    private mutating func decode(_ text: UnsafeBufferPointer<UInt8>) {
        cpts.removeAll(keepingCapacity: true)
        flags.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        let n = text.count
        var i = 0
        CodepointCategory.basicPlane.withUnsafeBufferPointer { table in
            while i < n {
                let b0 = UInt32(text[i])
                var cpt: UInt32 = 0xFFFD
                var length = 1
                if b0 < 0x80 {
                    cpt = b0
                } else if b0 & 0xE0 == 0xC0, i + 1 < n, text[i + 1] & 0xC0 == 0x80 {
                    cpt = (b0 & 0x1F) << 6 | UInt32(text[i + 1] & 0x3F)
                    length = 2
                } else if b0 & 0xF0 == 0xE0, i + 2 < n, text[i + 1] & 0xC0 == 0x80, text[i + 2] & 0xC0 == 0x80 {
                    cpt = (b0 & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F)
                    length = 3
                } else if b0 & 0xF8 == 0xF0, i + 3 < n, text[i + 1] & 0xC0 == 0x80, text[i + 2] & 0xC0 == 0x80,
                          text[i + 3] & 0xC0 == 0x80 {
                    cpt = (b0 & 0x07) << 18 | UInt32(text[i + 1] & 0x3F) << 12 | UInt32(text[i + 2] & 0x3F) << 6
                        | UInt32(text[i + 3] & 0x3F)
                    length = 4
                }
                offsets.append(i)
                cpts.append(cpt)
                flags.append(cpt < 0x1_0000 ? table[Int(cpt)] : CodepointCategory.of(cpt))
                i += length
            }
        }
        offsets.append(n)
    }

    /// Appends the tokens of one pre-tokenized word.
    private mutating func encodeWord(_ word: UnsafeBufferPointer<UInt8>, into output: inout [Int32]) {
        let t = tokenizer
        if word.count == 1 {
            let id = t.byteTokens[Int(word[0])]
            if id >= 0 { output.append(id) }
            return
        }
        if t.ignoreMerges {
            key.removeAll(keepingCapacity: true)
            for b in word { key.append(contentsOf: ByteLevelEncoding.utf8ForByte[Int(b)]) }
            if let id = key.withUnsafeBufferPointer({ t.texts.lookup($0) }) {
                output.append(id)
                return
            }
        }
        symbols.removeAll(keepingCapacity: true)
        for b in word { symbols.append(t.byteTokens[Int(b)]) }
        if symbols.count <= 256 {
            mergeByScanning()
        } else {
            mergeWithQueue()
        }
        for id in symbols where id >= 0 { output.append(id) }
    }

    /// The merged tokens of a word's bytes by either merge strategy, for tests.
    mutating func merge(bytes: [UInt8], usingQueue: Bool) -> [Int32] {
        symbols = bytes.map { tokenizer.byteTokens[Int($0)] }
        if usingQueue { mergeWithQueue() } else { mergeByScanning() }
        return symbols
    }

    /// Merges `symbols` in place: repeatedly the adjacent pair of lowest rank, the leftmost on a
    /// tie, which is the order llama.cpp's priority queue (rank, then left position) pops them in.
    /// For the short words of ordinary text a scan over a rank array beats any queue.
    private mutating func mergeByScanning() {
        let merges = tokenizer.merges
        let none = Int32.max
        ranks.removeAll(keepingCapacity: true)
        results.removeAll(keepingCapacity: true)
        for i in 0..<symbols.count - 1 {
            let found = merges.lookup(symbols[i], symbols[i + 1])
            ranks.append(found?.rank ?? none)
            results.append(found?.result ?? -1)
        }
        while !ranks.isEmpty {
            var best = 0
            var bestRank = ranks[0]
            for i in 1..<ranks.count where ranks[i] < bestRank {
                best = i
                bestRank = ranks[i]
            }
            if bestRank == none { break }
            symbols[best] = results[best]
            symbols.remove(at: best + 1)
            ranks.remove(at: best)
            results.remove(at: best)
            if best > 0 {
                let found = merges.lookup(symbols[best - 1], symbols[best])
                ranks[best - 1] = found?.rank ?? none
                results[best - 1] = found?.result ?? -1
            }
            if best < ranks.count {
                let found = merges.lookup(symbols[best], symbols[best + 1])
                ranks[best] = found?.rank ?? none
                results[best] = found?.result ?? -1
            }
        }
    }

    /// The same merge order for long words (a DNA sequence, a run of symbols) through a binary
    /// heap over a linked list, so that a word of n bytes costs O(n log n) instead of O(n²).
    private mutating func mergeWithQueue() {
        let merges = tokenizer.merges
        let n = symbols.count
        var next = Array(1...n)
        next[n - 1] = -1
        var prev = Array(-1..<(n - 1))
        var heap = BigramHeap()
        for i in 0..<n - 1 {
            if let found = merges.lookup(symbols[i], symbols[i + 1]) {
                heap.push(.init(rank: found.rank, left: Int32(i), leftID: symbols[i], rightID: symbols[i + 1], result: found.result))
            }
        }
        while let bigram = heap.pop() {
            let left = Int(bigram.left)
            let right = next[left]
            // Skip pairs that an earlier merge changed: both sides must still hold the same ids.
            guard right >= 0, symbols[left] == bigram.leftID, symbols[right] == bigram.rightID else { continue }
            symbols[left] = bigram.result
            symbols[right] = -2
            next[left] = next[right]
            if next[right] >= 0 { prev[next[right]] = left }
            if prev[left] >= 0, let found = merges.lookup(symbols[prev[left]], symbols[left]) {
                heap.push(.init(rank: found.rank, left: Int32(prev[left]), leftID: symbols[prev[left]], rightID: symbols[left], result: found.result))
            }
            if next[left] >= 0, let found = merges.lookup(symbols[left], symbols[next[left]]) {
                heap.push(.init(rank: found.rank, left: Int32(left), leftID: symbols[left], rightID: symbols[next[left]], result: found.result))
            }
        }
        symbols.removeAll { $0 == -2 }
    }
}
