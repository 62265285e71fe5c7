/// Splits a template into tokens exactly as jinja2's lexer does with `trim_blocks=True` and `lstrip_blocks=True`.
///
/// jinja2 works on the source after normalizing newlines to `\n` and dropping one trailing newline
/// (`keep_trailing_newline=False`); the lexer does the same so that rendered output matches byte for byte.
struct JinjaLexer {
    private let s: [Unicode.Scalar]
    private var pos = 0
    private var tokens: [JinjaToken] = []
    private let sourceMap: JinjaSourceMap

    /// Whether block tags drop the first newline after them (`trim_blocks`).
    static let trimBlocks = true
    /// Whether whitespace before a block tag on its own line is dropped (`lstrip_blocks`).
    static let lstripBlocks = true

    init(scalars: [Unicode.Scalar]) {
        s = scalars
        sourceMap = JinjaSourceMap(scalars: scalars)
    }

    /// The template source as jinja2 sees it: `\r\n` and `\r` become `\n`, one trailing newline is dropped.
    static func normalize(_ source: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(source.unicodeScalars.count)
        var previousCR = false
        for u in source.unicodeScalars {
            if u == "\r" {
                out.append("\n")
                previousCR = true
                continue
            }
            if u == "\n" && previousCR {
                previousCR = false
                continue
            }
            previousCR = false
            out.append(u)
        }
        if out.last == "\n" { out.removeLast() }
        return out
    }

    private enum TagKind { case variable, block, comment }

    private func error(_ message: String, at offset: Int) -> JinjaError {
        let (line, column) = sourceMap.location(of: offset)
        return .syntax(message: message, line: line, column: column)
    }

    private func matches(_ literal: String, at i: Int) -> Bool {
        var j = i
        for u in literal.unicodeScalars {
            guard j < s.count, s[j] == u else { return false }
            j += 1
        }
        return true
    }

    private func skipWhitespace(from i: Int) -> Int {
        var j = i
        while j < s.count, JinjaText.isSpace(s[j]) { j += 1 }
        return j
    }

    private mutating func emitData(_ text: ArraySlice<Unicode.Scalar>, at offset: Int) {
        guard !text.isEmpty else { return }
        var str = String.UnicodeScalarView()
        str.append(contentsOf: text)
        tokens.append(JinjaToken(kind: .data(String(str)), offset: offset))
    }

    /// Applies the whitespace control of the tag that follows `text` (its `-`/`+` sign, or lstrip_blocks).
    private func stripText(_ text: ArraySlice<Unicode.Scalar>, sign: Unicode.Scalar?, isVariable: Bool,
                           lineStarting: Bool) -> ArraySlice<Unicode.Scalar> {
        if sign == "-" {
            var end = text.endIndex
            while end > text.startIndex, JinjaText.isSpace(text[end - 1]) { end -= 1 }
            return text[text.startIndex..<end]
        }
        guard sign != "+", Self.lstripBlocks, !isVariable else { return text }
        var lineStart = text.startIndex
        if let nl = text.lastIndex(of: "\n") { lineStart = nl + 1 }
        guard lineStart > text.startIndex || lineStarting else { return text }
        let tail = text[lineStart...]
        if !tail.isEmpty && tail.allSatisfy(JinjaText.isSpace) { return text[text.startIndex..<lineStart] }
        return text
    }

    /// Tokenizes the whole template.
    mutating func tokenize() throws -> [JinjaToken] {
        var lineStarting = true
        let n = s.count
        while pos < n {
            var start = pos
            var kind: TagKind?
            while start + 1 < n {
                if s[start] == "{" {
                    let c = s[start + 1]
                    if c == "{" { kind = .variable; break }
                    if c == "%" { kind = .block; break }
                    if c == "#" { kind = .comment; break }
                }
                start += 1
            }
            guard let tagKind = kind else {
                emitData(s[pos..<n], at: pos)
                break
            }
            var after = start + 2
            var sign: Unicode.Scalar?
            if after < n, s[after] == "-" || s[after] == "+" {
                sign = s[after]
                after += 1
            }
            // `{% raw %}` is recognised by the root rule itself, before the generic block rule.
            var rawEnd: Int?
            if tagKind == .block {
                var j = skipWhitespace(from: after)
                if matches("raw", at: j) {
                    j = skipWhitespace(from: j + 3)
                    if matches("-%}", at: j) {
                        rawEnd = skipWhitespace(from: j + 3)
                    } else if matches("%}", at: j) {
                        rawEnd = j + 2
                    }
                }
            }
            let text = stripText(s[pos..<start], sign: sign, isVariable: tagKind == .variable, lineStarting: lineStarting)
            emitData(text, at: pos)
            if let rawEnd {
                lineStarting = s[rawEnd - 1] == "\n"
                pos = rawEnd
                try lexRaw(lineStarting: &lineStarting)
                continue
            }
            switch tagKind {
            case .comment:
                pos = after
                try lexComment(tagStart: start, lineStarting: &lineStarting)
            case .block, .variable:
                tokens.append(JinjaToken(kind: tagKind == .block ? .blockBegin : .variableBegin, offset: start))
                pos = after
                try lexTag(isBlock: tagKind == .block, tagStart: start, lineStarting: &lineStarting)
            }
        }
        tokens.append(JinjaToken(kind: .eof, offset: n))
        return tokens
    }

    private mutating func lexComment(tagStart: Int, lineStarting: inout Bool) throws {
        var j = pos
        while j + 1 < s.count {
            if s[j] == "#" && s[j + 1] == "}" { break }
            j += 1
        }
        guard j + 1 < s.count else { throw error("Missing end of comment tag", at: tagStart) }
        var end = j + 2
        if j > pos && s[j - 1] == "-" {
            end = skipWhitespace(from: end)
        } else if j > pos && s[j - 1] == "+" {
            // `+#}` keeps the following newline.
        } else if Self.trimBlocks && end < s.count && s[end] == "\n" {
            end += 1
        }
        lineStarting = s[end - 1] == "\n"
        pos = end
    }

    private mutating func lexRaw(lineStarting: inout Bool) throws {
        let contentStart = pos
        var k = pos
        while k + 1 < s.count {
            if s[k] == "{" && s[k + 1] == "%" {
                var j = k + 2
                var sign: Unicode.Scalar?
                if j < s.count, s[j] == "-" || s[j] == "+" { sign = s[j]; j += 1 }
                j = skipWhitespace(from: j)
                if matches("endraw", at: j) {
                    j = skipWhitespace(from: j + 6)
                    var end: Int?
                    if matches("+%}", at: j) {
                        end = j + 3
                    } else if matches("-%}", at: j) {
                        end = skipWhitespace(from: j + 3)
                    } else if matches("%}", at: j) {
                        end = j + 2
                        if Self.trimBlocks && end! < s.count && s[end!] == "\n" { end! += 1 }
                    }
                    if let end {
                        let text = stripText(s[contentStart..<k], sign: sign, isVariable: false, lineStarting: lineStarting)
                        emitData(text, at: contentStart)
                        lineStarting = s[end - 1] == "\n"
                        pos = end
                        return
                    }
                }
            }
            k += 1
        }
        throw error("Missing end of raw directive", at: contentStart)
    }

    private mutating func lexTag(isBlock: Bool, tagStart: Int, lineStarting: inout Bool) throws {
        var balance: [Unicode.Scalar] = []
        let n = s.count
        while true {
            guard pos < n else {
                throw error("unexpected end of template, expected '\(isBlock ? "%}" : "}}")'", at: tagStart)
            }
            if balance.isEmpty {
                if isBlock {
                    if matches("+%}", at: pos) {
                        tokens.append(JinjaToken(kind: .blockEnd, offset: pos))
                        pos += 3
                        lineStarting = false
                        return
                    }
                    if matches("-%}", at: pos) {
                        tokens.append(JinjaToken(kind: .blockEnd, offset: pos))
                        let end = skipWhitespace(from: pos + 3)
                        lineStarting = s[end - 1] == "\n"
                        pos = end
                        return
                    }
                    if matches("%}", at: pos) {
                        tokens.append(JinjaToken(kind: .blockEnd, offset: pos))
                        pos += 2
                        if Self.trimBlocks && pos < n && s[pos] == "\n" { pos += 1 }
                        lineStarting = s[pos - 1] == "\n"
                        return
                    }
                } else {
                    if matches("-}}", at: pos) {
                        tokens.append(JinjaToken(kind: .variableEnd, offset: pos))
                        let end = skipWhitespace(from: pos + 3)
                        lineStarting = s[end - 1] == "\n"
                        pos = end
                        return
                    }
                    if matches("}}", at: pos) {
                        tokens.append(JinjaToken(kind: .variableEnd, offset: pos))
                        pos += 2
                        lineStarting = false
                        return
                    }
                }
            }
            let c = s[pos]
            if JinjaText.isSpace(c) {
                pos = skipWhitespace(from: pos)
                continue
            }
            if JinjaText.isDigit(c) {
                try lexNumber()
                continue
            }
            if c == "_" || JinjaText.isASCIILetter(c) || (c.value > 127 && c.properties.isXIDStart) {
                let start = pos
                pos += 1
                while pos < n, s[pos] == "_" || JinjaText.isASCIILetter(s[pos]) || JinjaText.isDigit(s[pos])
                        || (s[pos].value > 127 && s[pos].properties.isXIDContinue) {
                    pos += 1
                }
                tokens.append(JinjaToken(kind: .name(string(start..<pos)), offset: start))
                continue
            }
            if c == "'" || c == "\"" {
                try lexString(quote: c)
                continue
            }
            let start = pos
            let two = pos + 1 < n ? String(String.UnicodeScalarView([c, s[pos + 1]])) : ""
            if ["**", "//", "==", "!=", ">=", "<="].contains(two) {
                tokens.append(JinjaToken(kind: .op(two), offset: start))
                pos += 2
                continue
            }
            let single = "+-/*%~[](){}><=.:|,;"
            guard single.unicodeScalars.contains(c) else {
                throw error("unexpected char '\(Character(c))'", at: pos)
            }
            switch c {
            case "{": balance.append("}")
            case "(": balance.append(")")
            case "[": balance.append("]")
            case "}", ")", "]":
                guard let expected = balance.popLast() else { throw error("unexpected '\(Character(c))'", at: pos) }
                if expected != c {
                    throw error("unexpected '\(Character(c))', expected '\(Character(expected))'", at: pos)
                }
            default: break
            }
            tokens.append(JinjaToken(kind: .op(String(Character(c))), offset: start))
            pos += 1
        }
    }

    private func string(_ range: Range<Int>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s[range])
        return String(v)
    }

    /// Digits with optional `_` separators, as in Python literals; returns the end index.
    private func scanDigits(from i: Int) -> Int {
        var j = i
        guard j < s.count, JinjaText.isDigit(s[j]) else { return i }
        j += 1
        while j < s.count {
            if JinjaText.isDigit(s[j]) { j += 1; continue }
            if s[j] == "_", j + 1 < s.count, JinjaText.isDigit(s[j + 1]) { j += 2; continue }
            break
        }
        return j
    }

    private mutating func lexNumber() throws {
        let start = pos
        let n = s.count
        // Floats are tried first, as in jinja2: digits, then a fraction and/or an exponent.
        if start == 0 || s[start - 1] != "." {
            let intEnd = scanDigits(from: start)
            var j = intEnd
            var isFloat = false
            if j + 1 < n, s[j] == ".", JinjaText.isDigit(s[j + 1]) {
                j = scanDigits(from: j + 1)
                isFloat = true
            }
            if j < n, s[j] == "e" || s[j] == "E" {
                var k = j + 1
                if k < n, s[k] == "+" || s[k] == "-" { k += 1 }
                let e = scanDigits(from: k)
                if e > k { j = e; isFloat = true }
            }
            if isFloat {
                let text = string(start..<j).replacingOccurrences(of: "_", with: "")
                guard let value = Double(text) else { throw error("invalid float literal '\(text)'", at: start) }
                tokens.append(JinjaToken(kind: .float(value), offset: start))
                pos = j
                return
            }
        }
        if s[start] == "0", start + 1 < n, "bBoOxX".unicodeScalars.contains(s[start + 1]) {
            let radix: Int = (s[start + 1] == "b" || s[start + 1] == "B") ? 2 : (s[start + 1] == "o" || s[start + 1] == "O") ? 8 : 16
            var j = start + 2
            while j < n, s[j] == "_" || Int(String(Character(s[j])), radix: radix) != nil { j += 1 }
            let digits = string(start + 2..<j).replacingOccurrences(of: "_", with: "")
            guard let value = Int(digits, radix: radix) else { throw error("invalid integer literal", at: start) }
            tokens.append(JinjaToken(kind: .integer(value), offset: start))
            pos = j
            return
        }
        var j: Int
        if s[start] == "0" {
            j = start + 1
            while j < n {
                if s[j] == "0" { j += 1; continue }
                if s[j] == "_", j + 1 < n, s[j + 1] == "0" { j += 2; continue }
                break
            }
        } else {
            j = scanDigits(from: start)
        }
        let digits = string(start..<j).replacingOccurrences(of: "_", with: "")
        guard let value = Int(digits) else { throw error("integer literal '\(digits)' is too large", at: start) }
        tokens.append(JinjaToken(kind: .integer(value), offset: start))
        pos = j
    }

    /// Reads a quoted string and decodes its escapes as Python's `unicode-escape` codec does.
    private mutating func lexString(quote: Unicode.Scalar) throws {
        let start = pos
        var j = pos + 1
        var out = String.UnicodeScalarView()
        let n = s.count
        while true {
            guard j < n else { throw error("unexpected end of string literal", at: start) }
            let c = s[j]
            if c == quote { j += 1; break }
            if c != "\\" { out.append(c); j += 1; continue }
            guard j + 1 < n else { throw error("unexpected end of string literal", at: start) }
            let e = s[j + 1]
            j += 2
            switch e {
            case "\n": break
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "0"..."7":
                var value = Int(e.value - 48)
                var count = 1
                while count < 3, j < n, ("0"..."7").contains(s[j]) {
                    value = value * 8 + Int(s[j].value - 48)
                    j += 1
                    count += 1
                }
                out.append(Unicode.Scalar(UInt32(value)) ?? "\u{FFFD}")
            case "x", "u", "U":
                let width = e == "x" ? 2 : e == "u" ? 4 : 8
                guard j + width <= n, let value = UInt32(string(j..<j + width), radix: 16),
                      let scalar = Unicode.Scalar(value) else {
                    throw error("truncated \\\(Character(e)) escape in string literal", at: start)
                }
                out.append(scalar)
                j += width
            default:
                // Python keeps unknown escapes such as `\d` verbatim.
                out.append("\\")
                out.append(e)
            }
        }
        tokens.append(JinjaToken(kind: .string(String(out)), offset: start))
        pos = j
    }
}
