/// A bracket expression of a pre-tokenizer regex (`[\p{L}]`, `[\r\n]`, `[一-龥]`), matched the way
/// llama.cpp's std::regex fallback matches it.
///
/// llama.cpp runs those regexes over a copy of the text in which every non-ASCII whitespace code
/// point reads as U+000B, so such a code point never belongs to a class here, whatever its value;
/// and it matches `\p{…}` through one byte per general category, so for non-ASCII code points a
/// category test is exact while ASCII members are listed explicitly.
struct CharacterClass: Sendable {
    /// Category bits (``CodepointCategory``) whose non-ASCII code points belong to the class.
    var categories: UInt16 = 0
    /// ASCII members, as a 128-bit set.
    var asciiLow: UInt64 = 0
    var asciiHigh: UInt64 = 0
    /// Non-ASCII ranges that belong to the class.
    var ranges: [ClosedRange<UInt32>] = []

    init(categories: UInt16 = 0, ascii: [ClosedRange<UInt8>] = [], ranges: [ClosedRange<UInt32>] = []) {
        self.categories = categories
        for r in ascii { for b in r { insertASCII(b) } }
        for r in ranges {
            if r.lowerBound < 0x80 {
                for b in r.lowerBound...min(r.upperBound, 0x7F) { insertASCII(UInt8(b)) }
            }
            if r.upperBound >= 0x80 { self.ranges.append(max(r.lowerBound, 0x80)...r.upperBound) }
        }
    }

    private mutating func insertASCII(_ b: UInt8) {
        if b < 64 { asciiLow |= 1 << UInt64(b) } else { asciiHigh |= 1 << UInt64(b - 64) }
    }

    @inline(__always)
    func contains(_ cpt: UInt32, _ flags: UInt16) -> Bool {
        if cpt < 64 { return asciiLow >> UInt64(cpt) & 1 != 0 }
        if cpt < 128 { return asciiHigh >> UInt64(cpt - 64) & 1 != 0 }
        if flags & CodepointCategory.whitespace != 0 { return false }
        if flags & categories != 0 { return true }
        for r in ranges where r.contains(cpt) { return true }
        return false
    }

    // MARK: The classes the supported pre-tokenizers use

    /// `\p{N}`: ASCII digits and every number.
    static let numbers = CharacterClass(categories: CodepointCategory.number, ascii: [0x30...0x39])
    /// `\p{L}`.
    static let letters = CharacterClass(categories: CodepointCategory.letter, ascii: [0x41...0x5A, 0x61...0x7A])
    /// `\p{P}`: for ASCII, `!"#%&'()*,-./:;?@[\]_{}`.
    static let punctuation = CharacterClass(categories: CodepointCategory.punctuation, ascii: asciiPunctuation)
    /// `[\p{P}\$\+<=>\^~\|]` (llama.cpp's default), with `` ` `` too for Falcon.
    static func punctuationAndSymbols(withBacktick: Bool) -> CharacterClass {
        let symbols: [ClosedRange<UInt8>] = [0x24...0x24, 0x2B...0x2B, 0x3C...0x3E, 0x5E...0x5E, 0x7E...0x7E, 0x7C...0x7C]
        return CharacterClass(
            categories: CodepointCategory.punctuation,
            ascii: asciiPunctuation + symbols + (withBacktick ? [0x60...0x60] : []))
    }
    /// `[\r\n]`.
    static let newlines = CharacterClass(ascii: [0x0A...0x0A, 0x0D...0x0D])
    /// `[一-龥ࠀ-一가-퟿]`: DeepSeek's CJK (and, through its second range, most other scripts of the
    /// BMP from U+0800 on).
    static let cjk = CharacterClass(ranges: [0x4E00...0x9FA5, 0x0800...0x4E00, 0xAC00...0xD7FF])
    /// DeepSeek LLM's `[!-/:-~！-／：-～‘-‟　-。]`.
    static let deepseekPunctuation = CharacterClass(ranges: [
        0x21...0x2F, 0x3A...0x7E, 0xFF01...0xFF0F, 0xFF1A...0xFF5E, 0x2018...0x201F, 0x3000...0x3002,
    ])
    /// DeepSeek LLM's cased-letter class `[A-Za-zµÀ-ÖØ-öø-ƺ…𞤀-𞥃]`.
    static let deepseekLetters = CharacterClass(ranges: [
        0x41...0x5A, 0x61...0x7A, 0xB5...0xB5, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x1BA, 0x1BC...0x1BF,
        0x1C4...0x293, 0x295...0x2AF, 0x370...0x373, 0x376...0x377, 0x37B...0x37D, 0x37F...0x37F,
        0x386...0x386, 0x388...0x38A, 0x38C...0x38C, 0x38E...0x3A1, 0x3A3...0x3F5, 0x3F7...0x481,
        0x48A...0x52F, 0x531...0x556, 0x10A0...0x10C5, 0x13A0...0x13F5, 0x13F8...0x13FD,
        0x1C90...0x1CBA, 0x1CBD...0x1CBF, 0x1D00...0x1D2B, 0x1D6B...0x1D77, 0x1D79...0x1D9A,
        0x1E00...0x1F15, 0x1F18...0x1F1D, 0x1F20...0x1F45, 0x1F48...0x1F4D, 0x1F50...0x1F57,
        0x1F59...0x1F59, 0x1F5B...0x1F5B, 0x1F5D...0x1F5D, 0x1F5F...0x1F7D, 0x1F80...0x1FB4,
        0x1FB6...0x1FBC, 0x1FBE...0x1FBE, 0x1FC2...0x1FC4, 0x1FC6...0x1FCC, 0x1FD0...0x1FD3,
        0x1FD6...0x1FDB, 0x1FE0...0x1FEC, 0x1FF2...0x1FF4, 0x1FF6...0x1FFC, 0x2102...0x2102,
        0x2107...0x2107, 0x210A...0x2113, 0x2115...0x2115, 0x2119...0x211D, 0x2124...0x2124,
        0x2126...0x2126, 0x2128...0x2128, 0x212A...0x212D, 0x212F...0x2134, 0x2139...0x2139,
        0x213C...0x213F, 0x2145...0x2149, 0x214E...0x214E, 0x2183...0x2184, 0x2C00...0x2C7B,
        0x2C7E...0x2CE4, 0x2CEB...0x2CEE, 0x2CF2...0x2CF3, 0xA640...0xA66D, 0xA680...0xA69B,
        0xA722...0xA76F, 0xA771...0xA787, 0xA78B...0xA78E, 0xAB70...0xABBF, 0xFB00...0xFB06,
        0xFB13...0xFB17, 0xFF21...0xFF3A, 0xFF41...0xFF5A, 0x10400...0x1044F, 0x104B0...0x104D3,
        0x104D8...0x104FB, 0x10C80...0x10CB2, 0x10CC0...0x10CF2, 0x118A0...0x118DF, 0x1E900...0x1E943,
    ])

    private static let asciiPunctuation: [ClosedRange<UInt8>] = [
        0x21...0x23, 0x25...0x2A, 0x2C...0x2F, 0x3A...0x3B, 0x3F...0x40, 0x5B...0x5D, 0x5F...0x5F,
        0x7B...0x7B, 0x7D...0x7D,
    ]
}
