import Foundation

/// Python's two string-formatting mini-languages: `'%s' % args` (and the `format` filter) and `str.format`.
enum JinjaFormat {
    /// `format % args`, for the conversions templates use: `%s %r %d %i %f %e %g %x %%` with flags, width,
    /// precision and `%(name)s` keys.
    static func printf(_ format: String, _ args: JinjaValue) throws -> String {
        var positional: [JinjaValue]
        var mapping: JinjaObject?
        switch args {
        case let .array(a): positional = a
        case let .object(o): positional = [args]; mapping = o
        default: positional = [args]
        }
        var next = 0
        var out = ""
        let chars = Array(format.unicodeScalars)
        var i = 0
        func take() throws -> JinjaValue {
            guard next < positional.count else { throw JinjaFailure.type("not enough arguments for format string") }
            defer { next += 1 }
            return positional[next]
        }
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else { out.unicodeScalars.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw JinjaFailure.runtime("incomplete format") }
            var key: String?
            if chars[i] == "(" {
                var j = i + 1
                while j < chars.count, chars[j] != ")" { j += 1 }
                key = String(String.UnicodeScalarView(chars[(i + 1)..<j]))
                i = j + 1
            }
            var flags = ""
            while i < chars.count, "-+ #0".unicodeScalars.contains(chars[i]) { flags.unicodeScalars.append(chars[i]); i += 1 }
            var width = ""
            while i < chars.count, JinjaText.isDigit(chars[i]) { width.unicodeScalars.append(chars[i]); i += 1 }
            var precision: String?
            if i < chars.count, chars[i] == "." {
                i += 1
                var p = ""
                while i < chars.count, JinjaText.isDigit(chars[i]) { p.unicodeScalars.append(chars[i]); i += 1 }
                precision = p
            }
            guard i < chars.count else { throw JinjaFailure.runtime("incomplete format") }
            let conversion = chars[i]
            i += 1
            if conversion == "%" { out += "%"; continue }
            let value: JinjaValue
            if let key {
                guard let m = mapping else { throw JinjaFailure.type("format requires a mapping") }
                guard let v = m[key] else { throw JinjaFailure.runtime("KeyError: '\(key)'") }
                value = v
            } else {
                value = try take()
            }
            var text: String
            switch conversion {
            case "s": text = value.pythonString
            case "r", "a": text = value.pythonRepr
            case "d", "i", "u":
                guard let n = value.numericValue else { throw JinjaFailure.type("%d format: a number is required, not \(value.typeName)") }
                if case let .int(x) = n { text = String(x) } else { text = String(Int(n.doubleValue.rounded(.towardZero))) }
                if flags.contains("+") && !text.hasPrefix("-") { text = "+" + text }
            case "f", "F", "e", "E", "g", "G", "x", "X", "o":
                guard let n = value.numericValue else { throw JinjaFailure.type("must be real number, not \(value.typeName)") }
                let spec = "%" + flags.filter { $0 != "-" && $0 != "0" } + (precision.map { "." + $0 } ?? "")
                if "xXo".unicodeScalars.contains(conversion) {
                    guard case let .int(x) = n else { throw JinjaFailure.type("%\(conversion) format: an integer is required") }
                    text = String(format: spec + "l" + String(conversion), x)
                } else {
                    text = String(format: spec + String(conversion), n.doubleValue)
                }
            default:
                throw JinjaFailure.runtime("unsupported format character '\(conversion)'")
            }
            if let p = precision, conversion == "s" || conversion == "r", let n = Int(p) {
                text = String(text.unicodeScalars.prefix(n).map(Character.init))
            }
            if let w = Int(width), text.unicodeScalars.count < w {
                let pad = w - text.unicodeScalars.count
                if flags.contains("-") {
                    text += String(repeating: " ", count: pad)
                } else if flags.contains("0") && "dfFeEgGi".unicodeScalars.contains(conversion) {
                    let negative = text.hasPrefix("-")
                    text = (negative ? "-" : "") + String(repeating: "0", count: pad) + (negative ? String(text.dropFirst()) : text)
                } else {
                    text = String(repeating: " ", count: pad) + text
                }
            }
            out += text
        }
        if mapping == nil && next < positional.count && !(positional.count == 1 && next == 0 && format.isEmpty) {
            if case .array = args { throw JinjaFailure.type("not all arguments converted during string formatting") }
        }
        return out
    }

    /// `format.format(*args, **kwargs)` for fields `{}`, `{0}`, `{name}`, `{!r}` and simple specs
    /// (`[[fill]align][width][.precision][type]`).
    static func format(_ format: String, _ args: JinjaArguments) throws -> String {
        let chars = Array(format.unicodeScalars)
        var out = ""
        var i = 0
        var auto = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count && chars[i + 1] == "{" { out += "{"; i += 2; continue }
                var j = i + 1
                var depth = 1
                while j < chars.count {
                    if chars[j] == "{" { depth += 1 }
                    if chars[j] == "}" { depth -= 1; if depth == 0 { break } }
                    j += 1
                }
                guard j < chars.count else { throw JinjaFailure.runtime("Single '{' encountered in format string") }
                let field = String(String.UnicodeScalarView(chars[(i + 1)..<j]))
                i = j + 1
                var name = field
                var spec = ""
                var conversion: Character?
                if let colon = name.firstIndex(of: ":") {
                    spec = String(name[name.index(after: colon)...])
                    name = String(name[..<colon])
                }
                if let bang = name.firstIndex(of: "!") {
                    conversion = name[name.index(after: bang)...].first
                    name = String(name[..<bang])
                }
                let value: JinjaValue
                if name.isEmpty {
                    guard auto < args.positional.count else { throw JinjaFailure.runtime("Replacement index \(auto) out of range for positional args tuple") }
                    value = args.positional[auto]
                    auto += 1
                } else if let n = Int(name) {
                    guard n < args.positional.count else { throw JinjaFailure.runtime("Replacement index \(n) out of range for positional args tuple") }
                    value = args.positional[n]
                } else {
                    guard let v = args.keyword.first(where: { $0.0 == name })?.1 else { throw JinjaFailure.runtime("KeyError: '\(name)'") }
                    value = v
                }
                var text = conversion == "r" ? value.pythonRepr : value.pythonString
                if !spec.isEmpty { text = try applySpec(spec, value: conversion == nil ? value : .string(text)) }
                out += text
            } else if c == "}" {
                if i + 1 < chars.count && chars[i + 1] == "}" { out += "}"; i += 2; continue }
                throw JinjaFailure.runtime("Single '}' encountered in format string")
            } else {
                out.unicodeScalars.append(c)
                i += 1
            }
        }
        return out
    }

    private static func applySpec(_ spec: String, value: JinjaValue) throws -> String {
        var s = Array(spec)
        var fill: Character = " "
        var align: Character?
        if s.count >= 2, "<>^=".contains(s[1]) { fill = s[0]; align = s[1]; s.removeFirst(2) }
        else if let f = s.first, "<>^=".contains(f) { align = f; s.removeFirst() }
        var widthText = ""
        while let f = s.first, f.isNumber { widthText.append(f); s.removeFirst() }
        var precision: Int?
        if s.first == "." {
            s.removeFirst()
            var p = ""
            while let f = s.first, f.isNumber { p.append(f); s.removeFirst() }
            precision = Int(p)
        }
        let type = s.first
        var text: String
        switch type {
        case "f", "F", "e", "E", "g", "G", "%":
            guard let n = value.numericValue else { throw JinjaFailure.runtime("Unknown format code '\(type!)' for object of type '\(value.typeName)'") }
            text = String(format: "%.\(precision ?? 6)\(type == "%" ? "f" : String(type!))", n.doubleValue * (type == "%" ? 100 : 1))
            if type == "%" { text += "%" }
        case "d":
            guard case let .int(n)? = value.numericValue else { throw JinjaFailure.runtime("Unknown format code 'd' for object of type '\(value.typeName)'") }
            text = String(n)
        default:
            text = value.pythonString
            if let precision, case .string = value { text = String(text.prefix(precision)) }
        }
        if let width = Int(widthText), text.count < width {
            let pad = width - text.count
            let defaultRight = value.numericValue != nil && (value.typeName != "str")
            switch align ?? (defaultRight ? ">" : "<") {
            case ">": text = String(repeating: fill, count: pad) + text
            case "^": text = String(repeating: fill, count: pad / 2) + text + String(repeating: fill, count: pad - pad / 2)
            default: text += String(repeating: fill, count: pad)
            }
        }
        return text
    }
}
