/// One of the simple regexes that llama.cpp runs with std::regex between its hand-written
/// splitters, as a matcher at a position: every match, and every gap between matches, becomes a
/// piece of its own.
enum SplitPattern: Sendable {
    /// One code point of the class, e.g. `\p{N}` or `[\r\n]`.
    case single(CharacterClass)
    /// `\s?[class]+` when `leadingWhitespace`, else `[class]+`.
    case run(CharacterClass, leadingWhitespace: Bool)
    /// `\s+$`: whitespace that ends the piece.
    case trailingWhitespace
    /// `[0-9][0-9][0-9]`.
    case asciiDigitTriple

    /// The length of the match that starts at `pos` in `pos..<end`, or 0. `resume` is where the
    /// search may continue after a failure (past positions that cannot start a match either).
    @inline(__always)
    func match(
        _ cpts: UnsafeBufferPointer<UInt32>, _ flags: UnsafeBufferPointer<UInt16>,
        at pos: Int, end: Int, resume: inout Int
    ) -> Int {
        switch self {
        case .single(let cls):
            return cls.contains(cpts[pos], flags[pos]) ? 1 : 0
        case .run(let cls, let leadingWhitespace):
            var p = pos
            if leadingWhitespace, flags[p] & CodepointCategory.whitespace != 0 {
                guard p + 1 < end, cls.contains(cpts[p + 1], flags[p + 1]) else { return 0 }
                p += 1
            } else if !cls.contains(cpts[p], flags[p]) {
                return 0
            }
            while p < end, cls.contains(cpts[p], flags[p]) { p += 1 }
            return p - pos
        case .trailingWhitespace:
            var p = pos
            while p < end, flags[p] & CodepointCategory.whitespace != 0 { p += 1 }
            if p == end { return p - pos }
            resume = max(resume, p)
            return 0
        case .asciiDigitTriple:
            guard pos + 3 <= end else { return 0 }
            for i in pos..<pos + 3 where !(0x30...0x39).contains(cpts[i]) { return 0 }
            return 3
        }
    }
}
