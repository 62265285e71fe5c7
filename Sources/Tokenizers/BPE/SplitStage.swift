/// One pass of pre-tokenization: it cuts each piece that the previous pass produced.
///
/// The GPT-2 and Llama 3 passes are line-for-line ports of llama.cpp's hand-written splitters
/// (`unicode_regex_split_custom_gpt2` / `_llama3` in unicode.cpp), quirks included, because the
/// token ids must equal llama.cpp's, not merely a regex engine's.
enum SplitStage: Sendable {
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}|
    /// ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`, with `\p{M}` joining `\p{L}` when
    /// `marksInWords` (Qwen 3.5).
    case llama3(maxDigits: Int, marksInWords: Bool)
    /// Matches of a simple pattern and the gaps between them each become a piece.
    case isolate(SplitPattern)

    /// Cuts every piece `[ends[i-1], ends[i])` of `cpts` and writes the new piece ends to `output`.
    func split(
        _ cpts: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt16>,
        pieces ends: [Int], into output: inout [Int]
    ) {
        output.removeAll(keepingCapacity: true)
        var start = 0
        for end in ends {
            switch self {
            case .gpt2:
                Self.splitGPT2(cpts, flags, start, end, &output)
            case .llama3(let maxDigits, let marks):
                Self.splitLlama3(cpts, flags, start, end, maxDigits: maxDigits, marks: marks, &output)
            case .isolate(let pattern):
                Self.isolate(pattern, cpts, flags, start, end, &output)
            }
            start = end
        }
    }

    private static let apostrophe: UInt32 = 0x27
    private static let space: UInt32 = 0x20
    private static let cr: UInt32 = 0x0D
    private static let lf: UInt32 = 0x0A
    private static let outOfRange = UInt32.max

    @inline(__always)
    private static func isContractionStart(_ c: UInt32) -> Bool {
        c == 0x73 || c == 0x74 || c == 0x6D || c == 0x64  // s t m d
    }

    @inline(__always)
    private static func isContractionPair(_ a: UInt32, _ b: UInt32) -> Bool {
        (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C)  // re ve ll
    }

    /// ASCII-only lowercasing: the only code points whose lowercase is one of `s t m d r e v l`
    /// are their capitals (checked against llama.cpp's `unicode_map_lowercase`).
    @inline(__always)
    private static func lower(_ c: UInt32) -> UInt32 {
        (0x41...0x5A).contains(c) ? c + 0x20 : c
    }

    private static func splitGPT2(
        _ cpts: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt16>,
        _ start: Int, _ end: Int, _ out: inout [Int]
    ) {
        @inline(__always) func cpt(_ p: Int) -> UInt32 { p < end ? cpts[p] : outOfRange }
        @inline(__always) func fl(_ p: Int) -> UInt16 { p < end ? flags[p] : 0 }
        let ws = CodepointCategory.whitespace, letter = CodepointCategory.letter, number = CodepointCategory.number

        var pos = start
        while pos < end {
            let c = cpts[pos]
            let f = flags[pos]

            if c == apostrophe && pos + 1 < end {
                let next = cpts[pos + 1]
                if isContractionStart(next) {
                    pos += 2; out.append(pos); continue
                }
                if pos + 2 < end, isContractionPair(next, cpts[pos + 2]) {
                    pos += 3; out.append(pos); continue
                }
            }

            var f2 = c == space ? fl(pos + 1) : f
            if f2 & letter != 0 {  // ` ?\p{L}+`
                if c == space { pos += 1 }
                while f2 & letter != 0 { pos += 1; f2 = fl(pos) }
                out.append(pos); continue
            }
            if f2 & number != 0 {  // ` ?\p{N}+`
                if c == space { pos += 1 }
                while f2 & number != 0 { pos += 1; f2 = fl(pos) }
                out.append(pos); continue
            }
            if f2 & (ws | letter | number) == 0 && f2 != 0 {  // ` ?[^\s\p{L}\p{N}]+`
                if c == space { pos += 1 }
                while f2 & (ws | letter | number) == 0 && f2 != 0 { pos += 1; f2 = fl(pos) }
                out.append(pos); continue
            }

            var spaces = 0
            while fl(pos + spaces) & ws != 0 { spaces += 1 }
            if spaces > 1 && cpt(pos + spaces) != outOfRange {  // `\s+(?!\S)`
                pos += spaces - 1; out.append(pos); continue
            }
            if spaces > 0 {  // `\s+`
                pos += spaces; out.append(pos); continue
            }
            pos += 1; out.append(pos)
        }
    }

    private static func splitLlama3(
        _ cpts: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt16>,
        _ start: Int, _ end: Int, maxDigits: Int, marks: Bool, _ out: inout [Int]
    ) {
        @inline(__always) func cpt(_ p: Int) -> UInt32 { p < end ? cpts[p] : outOfRange }
        @inline(__always) func fl(_ p: Int) -> UInt16 { p < end ? flags[p] : 0 }
        let ws = CodepointCategory.whitespace, number = CodepointCategory.number
        let word = CodepointCategory.letter | (marks ? CodepointCategory.mark : 0)

        var pos = start
        while pos < end {
            let c = cpts[pos]
            let f = flags[pos]

            if c == apostrophe && pos + 1 < end {  // case-insensitive contractions
                let next = lower(cpts[pos + 1])
                if isContractionStart(next) {
                    pos += 2; out.append(pos); continue
                }
                if pos + 2 < end, isContractionPair(next, lower(cpts[pos + 2])) {
                    pos += 3; out.append(pos); continue
                }
            }

            // `[^\r\n\p{L}\p{N}]?\p{L}+`
            if !(c == cr || c == lf || f & number != 0), f & word != 0 || fl(pos + 1) & word != 0 {
                pos += 1
                while fl(pos) & word != 0 { pos += 1 }
                out.append(pos); continue
            }

            if f & number != 0 {  // `\p{N}{1,maxDigits}`
                var groupStart = pos
                while fl(pos) & number != 0 {
                    pos += 1
                    if pos - groupStart >= maxDigits { out.append(pos); groupStart = pos }
                }
                if out.last != pos { out.append(pos) }
                continue
            }

            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
            var f2 = c == space ? fl(pos + 1) : f
            if f2 & (ws | word | number) == 0 {
                if c == space { pos += 1 }
                while f2 & (ws | word | number) == 0 && f2 != 0 { pos += 1; f2 = fl(pos) }
                var c2 = cpt(pos)
                while c2 == cr || c2 == lf { pos += 1; c2 = cpt(pos) }
                out.append(pos); continue
            }

            var spaces = 0
            var afterLastNewline = 0
            while fl(pos + spaces) & ws != 0 {
                let c2 = cpts[pos + spaces]
                if c2 == cr || c2 == lf { afterLastNewline = pos + spaces + 1 }
                spaces += 1
            }
            if afterLastNewline > 0 {  // `\s*[\r\n]+`
                pos = afterLastNewline; out.append(pos); continue
            }
            if spaces > 1 && cpt(pos + spaces) != outOfRange {  // `\s+(?!\S)`
                pos += spaces - 1; out.append(pos); continue
            }
            if spaces > 0 {  // `\s+`
                pos += spaces; out.append(pos); continue
            }
            pos += 1; out.append(pos)
        }
    }

    private static func isolate(
        _ pattern: SplitPattern,
        _ cpts: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt16>,
        _ start: Int, _ end: Int, _ out: inout [Int]
    ) {
        var pos = start
        var last = start
        var resume = start
        while pos < end {
            let length = pattern.match(cpts, flags, at: pos, end: end, resume: &resume)
            if length > 0 {
                if pos > last { out.append(pos) }
                pos += length
                out.append(pos)
                last = pos
            } else {
                pos = max(pos + 1, resume)
            }
        }
        if last < end { out.append(end) }
    }
}
