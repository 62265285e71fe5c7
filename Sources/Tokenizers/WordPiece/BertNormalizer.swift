import Foundation

/// BERT's text normalisation exactly as Hugging Face `tokenizers`' `BertNormalizer` does it, in
/// its order: clean the text (drop NUL, U+FFFD and control/format/unassigned code points, turn
/// whitespace into spaces), pad CJK ideographs with spaces, strip accents (NFD, then drop
/// non-spacing marks), lower-case (per code point, unconditionally, like Rust's `to_lowercase`).
public struct BertNormalizer: Sendable, Equatable {
    /// Whether to lower-case.
    public var lowercase: Bool
    /// Whether to strip accents; `nil` follows `lowercase`, as in `tokenizers`.
    public var stripAccents: Bool?
    /// Whether to surround CJK ideographs with spaces so each becomes its own word.
    public var handleChineseChars: Bool
    /// Whether to drop control characters and map whitespace to spaces.
    public var cleanText: Bool

    /// The normaliser of BERT uncased by default.
    public init(lowercase: Bool = true, stripAccents: Bool? = nil, handleChineseChars: Bool = true, cleanText: Bool = true) {
        self.lowercase = lowercase
        self.stripAccents = stripAccents
        self.handleChineseChars = handleChineseChars
        self.cleanText = cleanText
    }

    /// The normalised code points of `text`.
    public func normalize(_ text: Substring) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for s in text.unicodeScalars {
            if cleanText {
                if s.value == 0 || s.value == 0xFFFD || Self.isControl(s) { continue }
                if Self.isWhitespace(s) { out.append(" "); continue }
            }
            if handleChineseChars && Self.isChineseChar(s) {
                out.append(" "); out.append(s); out.append(" ")
            } else {
                out.append(s)
            }
        }
        if stripAccents ?? lowercase {
            // NFD only where something can decompose: ASCII text is already in NFD.
            if out.contains(where: { $0.value >= 0x80 }) {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: out)
                let decomposed = String(view).decomposedStringWithCanonicalMapping
                out = decomposed.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
            }
        }
        if lowercase {
            var lowered: [Unicode.Scalar] = []
            lowered.reserveCapacity(out.count)
            for s in out {
                if s.value < 0x80 {
                    lowered.append(s.value >= 0x41 && s.value <= 0x5A ? Unicode.Scalar(s.value + 32)! : s)
                } else {
                    lowered.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
                }
            }
            out = lowered
        }
        return out
    }

    /// Tab, newline and carriage return count as whitespace, not control, as in BERT.
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == "\t" || s == "\n" || s == "\r" || s.properties.isWhitespace
    }

    /// Rust's `char::is_other` (Cc, Cf, Cn, Co, Cs) minus the three whitespace controls.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        if s == "\t" || s == "\n" || s == "\r" { return false }
        if s.value >= 0x20 && s.value < 0x7F { return false }
        switch s.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// The CJK Unified Ideograph blocks BERT isolates (not Hangul, Hiragana or Katakana).
    static func isChineseChar(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
