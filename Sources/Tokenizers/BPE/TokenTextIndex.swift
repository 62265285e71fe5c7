/// Every token's text in one flat UTF-8 buffer, with an open-addressing hash index from text to
/// id. One buffer instead of 128k `String`s keeps lookups cache-friendly and lets the encoder look
/// up byte ranges it has built in a scratch buffer without creating strings.
struct TokenTextIndex: Sendable {
    /// The texts, concatenated in id order.
    let bytes: [UInt8]
    /// `offsets[id]..<offsets[id + 1]` is the text of `id`.
    let offsets: [Int32]
    /// Hash slots: the high 32 bits of the text's hash, then the id; `empty` when unused. Keeping
    /// part of the hash in the slot skips the text comparison for nearly every non-matching probe.
    private let slots: [UInt64]
    private let mask: Int
    private static let empty = UInt64.max

    /// The number of tokens.
    var count: Int { offsets.count - 1 }

    /// Builds the index; two tokens with the same text are a ``TokenizerError/duplicateToken``.
    init(texts: [String]) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(texts.count * 8)
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(texts.count + 1)
        for text in texts {
            bytes.append(contentsOf: text.utf8)
            offsets.append(Int32(bytes.count))
        }
        var capacity = 16
        while capacity < texts.count * 2 { capacity <<= 1 }
        var slots = [UInt64](repeating: Self.empty, count: capacity)
        let mask = capacity - 1
        try bytes.withUnsafeBufferPointer { all in
            try slots.withUnsafeMutableBufferPointer { slots in
                for id in 0..<texts.count {
                    let text = UnsafeBufferPointer(rebasing: all[Int(offsets[id])..<Int(offsets[id + 1])])
                    let h = Self.hash(text, UnsafeBufferPointer(start: nil, count: 0))
                    var slot = Int(truncatingIfNeeded: h) & mask
                    while slots[slot] != Self.empty {
                        let other = Int(UInt32(truncatingIfNeeded: slots[slot]))
                        if slots[slot] >> 32 == h >> 32,
                           Self.equal(UnsafeBufferPointer(rebasing: all[Int(offsets[other])..<Int(offsets[other + 1])]), text, UnsafeBufferPointer(start: nil, count: 0)) {
                            throw TokenizerError.duplicateToken(text: texts[id], firstID: other, secondID: id)
                        }
                        slot = (slot + 1) & mask
                    }
                    slots[slot] = h & 0xFFFF_FFFF_0000_0000 | UInt64(id)
                }
            }
        }
        self.bytes = bytes
        self.offsets = offsets
        self.slots = slots
        self.mask = mask
    }

    /// The id of the token whose text is `text`.
    @inline(__always)
    func lookup(_ text: UnsafeBufferPointer<UInt8>) -> Int32? {
        lookup(text, UnsafeBufferPointer(start: nil, count: 0))
    }

    /// The id of the token whose text is `first` followed by `second`.
    func lookup(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Int32? {
        let h = Self.hash(first, second)
        let tag = h >> 32
        var slot = Int(truncatingIfNeeded: h) & mask
        return bytes.withUnsafeBufferPointer { all in
            slots.withUnsafeBufferPointer { slots in
                while true {
                    let s = slots[slot]
                    if s == Self.empty { return nil }
                    if s >> 32 == tag {
                        let id = Int(UInt32(truncatingIfNeeded: s))
                        let text = UnsafeBufferPointer(rebasing: all[Int(offsets[id])..<Int(offsets[id + 1])])
                        if Self.equal(text, first, second) { return Int32(id) }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The id of the token whose text is `text`.
    func lookup(_ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { lookup($0) }
    }

    /// The UTF-8 of a token's text.
    @inline(__always)
    func text(of id: Int) -> ArraySlice<UInt8> {
        bytes[Int(offsets[id])..<Int(offsets[id + 1])]
    }

    // FNV-1a: token texts are a few bytes long, where it is as fast as anything, and it streams
    // over the two halves of a merge without concatenating them.
    @inline(__always)
    private static func hash(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in first { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        for b in second { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        // FNV's low bits are weak for short keys; fold the high half in before masking.
        return h ^ (h >> 29)
    }

    /// Whether `text` is `first` followed by `second`; texts are short, so a loop beats memcmp.
    @inline(__always)
    private static func equal(_ text: UnsafeBufferPointer<UInt8>, _ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count == first.count + second.count else { return false }
        for i in 0..<first.count where text[i] != first[i] { return false }
        let k = first.count
        for i in 0..<second.count where text[k + i] != second[i] { return false }
        return true
    }
}
