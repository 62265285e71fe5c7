import Foundation

/// Python's text rules that templates depend on: what counts as whitespace, how floats and strings
/// print, and the `str` methods (`strip`, `split`, `title`, ...) with their exact edge cases.
enum JinjaText {
    /// `str.isspace()` for one code point (also what `\s` matches in Python regexes).
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 9...13, 28...32: return true
        case 0..<128: return false
        default: return u.properties.isWhitespace || u.value == 0x85
        }
    }

    static func isDigit(_ u: Unicode.Scalar) -> Bool { u.value >= 48 && u.value <= 57 }

    static func isASCIILetter(_ u: Unicode.Scalar) -> Bool {
        (u.value >= 65 && u.value <= 90) || (u.value >= 97 && u.value <= 122)
    }

    /// Whether `\w` in a Python regex matches `u` (letters, digits, underscore, in any script).
    static func isWordCharacter(_ u: Unicode.Scalar) -> Bool {
        if u == "_" { return true }
        if u.value < 128 { return isDigit(u) || isASCIILetter(u) }
        return u.properties.isAlphabetic || u.properties.numericType != nil
    }

    /// `repr(float)` in Python: the shortest round-tripping digits, in fixed notation for exponents
    /// from -4 to 15 and scientific notation (`1e+16`, `1e-05`) otherwise.
    static func floatRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description is also shortest-round-trip; only the layout differs from Python's.
        var text = "\(abs(d))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        var digits: String
        if let dot = text.firstIndex(of: ".") {
            let intPart = String(text[..<dot])
            let frac = String(text[text.index(after: dot)...])
            digits = intPart + frac
            exponent += intPart.count - 1
        } else {
            digits = text
            exponent += text.count - 1
        }
        // Drop leading zeros (e.g. "0.001") and trailing zeros, keeping the exponent of the first digit.
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            exponent -= 1
        }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        let sign = d < 0 ? "-" : ""
        if exponent >= 16 || exponent < -4 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let expText = String(abs(exponent))
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (expText.count < 2 ? "0" + expText : expText)
        }
        if exponent < 0 {
            return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
        }
        if digits.count <= exponent + 1 {
            return sign + digits + String(repeating: "0", count: exponent + 1 - digits.count) + ".0"
        }
        let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// `repr(str)` in Python: single quotes unless the text has `'` and no `"`, with escapes.
    static func stringRepr(_ s: String) -> String {
        let hasSingle = s.unicodeScalars.contains("'")
        let hasDouble = s.unicodeScalars.contains("\"")
        let quote: Unicode.Scalar = (hasSingle && !hasDouble) ? "\"" : "'"
        var out = String.UnicodeScalarView()
        out.append(quote)
        for u in s.unicodeScalars {
            switch u {
            case quote, "\\":
                out.append("\\"); out.append(u)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            default:
                if isPrintable(u) {
                    out.append(u)
                } else if u.value < 0x100 {
                    out.append(contentsOf: String(format: "\\x%02x", u.value).unicodeScalars)
                } else if u.value < 0x10000 {
                    out.append(contentsOf: String(format: "\\u%04x", u.value).unicodeScalars)
                } else {
                    out.append(contentsOf: String(format: "\\U%08x", u.value).unicodeScalars)
                }
            }
        }
        out.append(quote)
        return String(out)
    }

    /// `str.isprintable()` for one code point.
    static func isPrintable(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x20 || u.value == 0x7F { return false }
        if u.value < 0x7F { return true }
        switch u.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
            return false
        case .spaceSeparator:
            return u == " "
        default:
            return true
        }
    }

    // MARK: - str methods

    /// `str.strip(chars)`, `lstrip`, `rstrip`: `chars == nil` strips whitespace.
    static func strip(_ s: String, chars: String?, leading: Bool, trailing: Bool) -> String {
        let scalars = Array(s.unicodeScalars)
        let set = chars.map { Set($0.unicodeScalars) }
        func strippable(_ u: Unicode.Scalar) -> Bool { set.map { $0.contains(u) } ?? isSpace(u) }
        var start = 0, end = scalars.count
        if leading { while start < end, strippable(scalars[start]) { start += 1 } }
        if trailing { while end > start, strippable(scalars[end - 1]) { end -= 1 } }
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars[start..<end])
        return String(v)
    }

    /// `str.split(sep, maxsplit)`; with no separator, splits on runs of whitespace and drops empty parts.
    static func split(_ s: String, separator: String?, maxSplit: Int) throws -> [String] {
        let scalars = Array(s.unicodeScalars)
        func make(_ r: Range<Int>) -> String {
            var v = String.UnicodeScalarView(); v.append(contentsOf: scalars[r]); return String(v)
        }
        guard let separator else {
            var parts: [String] = []
            var i = 0
            let n = scalars.count
            while true {
                while i < n, isSpace(scalars[i]) { i += 1 }
                if i >= n { break }
                if maxSplit >= 0 && parts.count == maxSplit {
                    var end = n
                    while end > i, isSpace(scalars[end - 1]) { end -= 1 }
                    parts.append(make(i..<end))
                    break
                }
                let start = i
                while i < n, !isSpace(scalars[i]) { i += 1 }
                parts.append(make(start..<i))
            }
            return parts
        }
        let sep = Array(separator.unicodeScalars)
        guard !sep.isEmpty else { throw JinjaFailure.runtime("empty separator") }
        var parts: [String] = []
        var start = 0
        var i = 0
        while i + sep.count <= scalars.count {
            if maxSplit >= 0 && parts.count == maxSplit { break }
            if scalars[i..<i + sep.count].elementsEqual(sep) {
                parts.append(make(start..<i))
                i += sep.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(make(start..<scalars.count))
        return parts
    }

    /// `str.rsplit(sep, maxsplit)` with an explicit separator.
    static func rsplit(_ s: String, separator: String?, maxSplit: Int) throws -> [String] {
        if maxSplit < 0 { return try split(s, separator: separator, maxSplit: -1) }
        guard let separator else {
            // Rare in templates: reverse, split from the left, reverse back.
            let reversed = String(String.UnicodeScalarView(s.unicodeScalars.reversed()))
            return try split(reversed, separator: nil, maxSplit: maxSplit)
                .map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) }.reversed()
        }
        let scalars = Array(s.unicodeScalars)
        let sep = Array(separator.unicodeScalars)
        guard !sep.isEmpty else { throw JinjaFailure.runtime("empty separator") }
        func make(_ r: Range<Int>) -> String {
            var v = String.UnicodeScalarView(); v.append(contentsOf: scalars[r]); return String(v)
        }
        var parts: [String] = []
        var end = scalars.count
        var i = scalars.count - sep.count
        while i >= 0 && parts.count < maxSplit {
            if scalars[i..<i + sep.count].elementsEqual(sep) {
                parts.append(make(i + sep.count..<end))
                end = i
                i -= sep.count
            } else {
                i -= 1
            }
        }
        parts.append(make(0..<end))
        return parts.reversed()
    }

    /// `str.splitlines(keepends)` with Python's set of line boundaries.
    static func splitLines(_ s: String, keepEnds: Bool = false) -> [String] {
        let scalars = Array(s.unicodeScalars)
        var lines: [String] = []
        var start = 0
        var i = 0
        func make(_ r: Range<Int>) -> String {
            var v = String.UnicodeScalarView(); v.append(contentsOf: scalars[r]); return String(v)
        }
        while i < scalars.count {
            let u = scalars[i]
            var boundary = 0
            switch u.value {
            case 0x0D: boundary = (i + 1 < scalars.count && scalars[i + 1] == "\n") ? 2 : 1
            case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029: boundary = 1
            default: break
            }
            if boundary > 0 {
                lines.append(make(start..<(keepEnds ? i + boundary : i)))
                i += boundary
                start = i
            } else {
                i += 1
            }
        }
        if start < scalars.count { lines.append(make(start..<scalars.count)) }
        return lines
    }

    /// `str.title()`: uppercases letters that follow a non-letter, lowercases the rest.
    static func pythonTitle(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for ch in s {
            let isLetter = ch.isLetter
            if isLetter {
                out += previousCased ? ch.lowercased() : ch.uppercased()
            } else {
                out.append(ch)
            }
            previousCased = isLetter
        }
        return out
    }

    /// `str.capitalize()`: first character uppercased, the rest lowercased.
    static func capitalize(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst().lowercased()
    }

    /// jinja2's `title` filter: capitalizes each word, where words begin after whitespace or `-({[<`.
    static func jinjaTitle(_ s: String) -> String {
        var out = ""
        var atWordStart = true
        for ch in s {
            let isBoundary = ch.unicodeScalars.allSatisfy { isSpace($0) } || "-({[<".contains(ch)
            if isBoundary {
                out.append(ch)
                atWordStart = true
            } else if atWordStart {
                out += ch.uppercased()
                atWordStart = false
            } else {
                out += ch.lowercased()
            }
        }
        return out
    }

    /// The index (in code points) of `needle` in `haystack`, or -1, as `str.find`.
    static func find(_ haystack: String, _ needle: String, reverse: Bool = false) -> Int {
        let h = Array(haystack.unicodeScalars), n = Array(needle.unicodeScalars)
        guard n.count <= h.count else { return -1 }
        let candidates = Array(0...(h.count - n.count))
        for i in reverse ? candidates.reversed() : candidates where h[i..<i + n.count].elementsEqual(n) {
            return i
        }
        return -1
    }

    /// Non-overlapping occurrences, as `str.count`.
    static func count(_ haystack: String, _ needle: String) -> Int {
        let h = Array(haystack.unicodeScalars), n = Array(needle.unicodeScalars)
        if n.isEmpty { return h.count + 1 }
        var i = 0, c = 0
        while i + n.count <= h.count {
            if h[i..<i + n.count].elementsEqual(n) { c += 1; i += n.count } else { i += 1 }
        }
        return c
    }

    /// `str.replace(old, new, count)`.
    static func replace(_ s: String, _ old: String, _ new: String, count: Int = -1) -> String {
        if count < 0 && !old.isEmpty {
            return s.replacingOccurrences(of: old, with: new, options: .literal)
        }
        let h = Array(s.unicodeScalars), o = Array(old.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0, done = 0
        if o.isEmpty {
            // Python inserts `new` between every character (and at both ends).
            for u in h {
                if count < 0 || done < count { out.append(contentsOf: new.unicodeScalars); done += 1 }
                out.append(u)
            }
            if count < 0 || done < count { out.append(contentsOf: new.unicodeScalars) }
            return String(out)
        }
        while i < h.count {
            if (count < 0 || done < count), i + o.count <= h.count, h[i..<i + o.count].elementsEqual(o) {
                out.append(contentsOf: new.unicodeScalars)
                i += o.count
                done += 1
            } else {
                out.append(h[i])
                i += 1
            }
        }
        return String(out)
    }

    /// Python's ordering of strings: by code point.
    static func less(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }
}
