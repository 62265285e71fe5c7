/// Turns generated token ids into text one id at a time, holding back the bytes of a character
/// that is split across tokens (byte-level BPE often splits emoji and CJK characters) until it is
/// complete, so no chunk ever shows a replacement character for half a character.
public struct StreamingDecoder: Sendable {
    /// The tokenizer whose tokens are decoded.
    public let tokenizer: BPETokenizer
    /// Whether control tokens print their text.
    public let special: Bool
    private var pending: [UInt8] = []

    /// A decoder for `tokenizer`'s tokens; `special` prints control tokens' text.
    public init(tokenizer: BPETokenizer, special: Bool) {
        self.tokenizer = tokenizer
        self.special = special
    }

    /// Adds one token and returns the text that is now complete (possibly empty).
    public mutating func append(_ id: Int32) -> String {
        tokenizer.appendBytes(of: id, special: special, to: &pending)
        let complete = Self.completePrefixLength(pending)
        if complete == 0 { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Returns whatever is still held back, with U+FFFD for an incomplete character, and resets.
    public mutating func flush() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// The length of `bytes` without a trailing, still incomplete UTF-8 sequence. A sequence that
    /// can no longer become valid is not held back: it would only delay the replacement character.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        // A character is at most 4 bytes, so only the last 3 can start an unfinished one.
        var i = n - 1
        while i >= 0 && i >= n - 3 {
            let b = bytes[i]
            if b & 0xC0 == 0x80 { i -= 1; continue }  // continuation byte: keep looking for its lead
            let needed: Int
            switch b {
            case 0xC2...0xDF: needed = 2
            case 0xE0...0xEF: needed = 3
            case 0xF0...0xF4: needed = 4
            default: return n  // ASCII or a byte that never starts a sequence
            }
            return n - i < needed ? i : n
        }
        return n
    }
}
