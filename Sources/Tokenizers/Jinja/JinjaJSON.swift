import Foundation

/// JSON for templates: an order-preserving parser (like Python's `json.loads`) and a serializer that
/// matches `json.dumps(value, ensure_ascii, indent, separators, sort_keys)` byte for byte, which is what
/// Hugging Face's `tojson` filter calls.
enum JinjaJSON {
    // MARK: - dumps

    /// The options of `json.dumps` that `tojson` forwards.
    struct Options {
        var ensureASCII = false
        var indent: String?
        var itemSeparator: String
        var keySeparator: String
        var sortKeys = false
    }

    static func dumps(_ value: JinjaValue, _ options: Options) throws -> String {
        var out = ""
        try write(value, options, level: 0, into: &out)
        return out
    }

    private static func write(_ value: JinjaValue, _ o: Options, level: Int, into out: inout String) throws {
        switch value {
        case .none: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else { out += JinjaText.floatRepr(d) }
        case let .string(s), let .markup(s): writeString(s, ensureASCII: o.ensureASCII, into: &out)
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += o.itemSeparator }
                if let indent = o.indent { out += "\n" + String(repeating: indent, count: level + 1) }
                try write(item, o, level: level + 1, into: &out)
            }
            if let indent = o.indent { out += "\n" + String(repeating: indent, count: level) }
            out += "]"
        case let .object(obj):
            if obj.isEmpty { out += "{}"; return }
            out += "{"
            var pairs = obj.pairs
            if o.sortKeys { pairs = try JinjaFilters.stableSort(pairs, reverse: false) { $0.0 } }
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out += o.itemSeparator }
                if let indent = o.indent { out += "\n" + String(repeating: indent, count: level + 1) }
                writeString(key.pythonString, ensureASCII: o.ensureASCII, into: &out)
                out += o.keySeparator
                try write(value, o, level: level + 1, into: &out)
            }
            if let indent = o.indent { out += "\n" + String(repeating: indent, count: level) }
            out += "}"
        case .undefined, .namespace, .callable, .generator:
            throw JinjaFailure.type("Object of type \(value.typeName) is not JSON serializable")
        }
    }

    private static func writeString(_ s: String, ensureASCII: Bool, into out: inout String) {
        var v = String.UnicodeScalarView()
        v.append("\"")
        func hex(_ n: UInt32) {
            v.append(contentsOf: String(format: "\\u%04x", n).unicodeScalars)
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": v.append(contentsOf: "\\\"".unicodeScalars)
            case "\\": v.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": v.append(contentsOf: "\\n".unicodeScalars)
            case "\r": v.append(contentsOf: "\\r".unicodeScalars)
            case "\t": v.append(contentsOf: "\\t".unicodeScalars)
            case "\u{08}": v.append(contentsOf: "\\b".unicodeScalars)
            case "\u{0C}": v.append(contentsOf: "\\f".unicodeScalars)
            default:
                if u.value < 0x20 {
                    hex(u.value)
                } else if ensureASCII && u.value > 0x7E {
                    if u.value > 0xFFFF {
                        let x = u.value - 0x10000
                        hex(0xD800 + (x >> 10))
                        hex(0xDC00 + (x & 0x3FF))
                    } else {
                        hex(u.value)
                    }
                } else {
                    v.append(u)
                }
            }
        }
        v.append("\"")
        out.unicodeScalars.append(contentsOf: v)
    }

    // MARK: - parse

    static func parse(_ data: Data) throws -> JinjaValue {
        var p = Parser(bytes: [UInt8](data))
        p.skipWhitespace()
        let v = try p.value()
        p.skipWhitespace()
        guard p.i == p.bytes.count else { throw p.error("unexpected data after the JSON value") }
        return v
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        func error(_ message: String) -> JinjaError {
            .invalidContext(message: "JSON: \(message) at byte \(i)")
        }

        mutating func skipWhitespace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        mutating func literal(_ word: String, _ v: JinjaValue) throws -> JinjaValue {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw error("invalid literal") }
            i += w.count
            return v
        }

        mutating func value() throws -> JinjaValue {
            guard i < bytes.count else { throw error("unexpected end") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var o = JinjaObject()
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                while true {
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                    let key = try string()
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    i += 1
                    skipWhitespace()
                    o[key] = try value()
                    skipWhitespace()
                    guard i < bytes.count else { throw error("unexpected end") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var a: [JinjaValue] = []
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                while true {
                    skipWhitespace()
                    a.append(try value())
                    skipWhitespace()
                    guard i < bytes.count else { throw error("unexpected end") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .none)
            case UInt8(ascii: "N"): return try literal("NaN", .double(.nan))
            case UInt8(ascii: "I"): return try literal("Infinity", .double(.infinity))
            default: return try number()
            }
        }

        mutating func number() throws -> JinjaValue {
            let start = i
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "I") { _ = try literal("Infinity", .none); return .double(-.infinity) }
            }
            var isFloat = false
            while i < bytes.count {
                let b = bytes[i]
                if b >= 0x30 && b <= 0x39 || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") { i += 1; continue }
                if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") { isFloat = true; i += 1; continue }
                break
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if !isFloat, let n = Int(text) { return .int(n) }
            guard let d = Double(text) else { throw error("invalid number '\(text)'") }
            return .double(d)
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= bytes.count, let n = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
                throw error("invalid \\u escape")
            }
            i += 4
            return n
        }

        mutating func string() throws -> String {
            i += 1
            var raw: [UInt8] = []
            while true {
                guard i < bytes.count else { throw error("unterminated string") }
                let b = bytes[i]
                i += 1
                if b == UInt8(ascii: "\"") { break }
                if b != UInt8(ascii: "\\") { raw.append(b); continue }
                guard i < bytes.count else { throw error("unterminated string") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): raw.append(0x0A)
                case UInt8(ascii: "t"): raw.append(0x09)
                case UInt8(ascii: "r"): raw.append(0x0D)
                case UInt8(ascii: "b"): raw.append(0x08)
                case UInt8(ascii: "f"): raw.append(0x0C)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800 && code < 0xDC00, i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    raw.append(contentsOf: Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
                default: raw.append(e)
                }
            }
            return String(decoding: raw, as: UTF8.self)
        }
    }
}
