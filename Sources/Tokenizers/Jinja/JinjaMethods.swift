/// The Python `str`, `dict` and `list` methods that chat templates call (`content.strip()`, `message.get('x')`).
enum JinjaMethods {
    static let stringMethods: Set<String> = [
        "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith", "upper", "lower",
        "title", "capitalize", "swapcase", "casefold", "replace", "find", "rfind", "index", "rindex", "count", "join",
        "format", "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isnumeric", "isdecimal",
        "removeprefix", "removesuffix", "center", "ljust", "rjust", "zfill", "partition", "rpartition",
    ]
    static let dictMethods: Set<String> = ["items", "keys", "values", "get", "copy"]
    static let listMethods: Set<String> = ["index", "count", "copy"]

    static func call(_ original: JinjaValue, _ name: String, _ args: JinjaArguments) throws -> JinjaValue {
        let receiver = original.plain
        switch receiver {
        case let .string(s): return try stringMethod(s, name, args)
        case let .object(o):
            switch name {
            case "items": _ = try args.bind("items", []); return .array(o.pairs.map { .array([$0.0, $0.1]) })
            case "keys": _ = try args.bind("keys", []); return .array(o.keyValues)
            case "values": _ = try args.bind("values", []); return .array(o.values)
            case "copy": return receiver
            case "get":
                let a = try args.bind("get", [("key", nil), ("default", JinjaValue.none)])
                return o.lookup(a[0]) ?? a[1]
            default: break
            }
        case let .array(items):
            switch name {
            case "copy": return receiver
            case "count":
                let a = try args.bind("count", [("value", nil)])
                return .int(items.filter { $0 == a[0] }.count)
            case "index":
                let a = try args.bind("index", [("value", nil)])
                guard let i = items.firstIndex(of: a[0]) else { throw JinjaFailure.runtime("\(a[0].pythonRepr) is not in list") }
                return .int(i)
            default: break
            }
        default: break
        }
        throw JinjaFailure.type("'\(receiver.typeName)' object has no attribute '\(name)'")
    }

    private static func optionalString(_ v: JinjaValue, _ method: String) throws -> String? {
        switch v {
        case .none: return nil
        case let .string(s): return s
        default: throw JinjaFailure.type("\(method) arg must be None or str")
        }
    }

    private static func isAll(_ s: String, _ predicate: (Unicode.Scalar) -> Bool) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy(predicate)
    }

    private static func stringMethod(_ s: String, _ name: String, _ args: JinjaArguments) throws -> JinjaValue {
        switch name {
        case "strip", "lstrip", "rstrip":
            let a = try args.bind(name, [("chars", JinjaValue.none)])
            return .string(JinjaText.strip(s, chars: try optionalString(a[0], name),
                                           leading: name != "rstrip", trailing: name != "lstrip"))
        case "split", "rsplit":
            let a = try args.bind(name, [("sep", JinjaValue.none), ("maxsplit", .int(-1))])
            guard let maxSplit = JinjaOperators.intIndex(a[1]) else { throw JinjaFailure.type("maxsplit must be an integer") }
            let sep = try optionalString(a[0], name)
            let parts = name == "split" ? try JinjaText.split(s, separator: sep, maxSplit: maxSplit)
                : try JinjaText.rsplit(s, separator: sep, maxSplit: maxSplit)
            return .array(parts.map { .string($0) })
        case "splitlines":
            let a = try args.bind(name, [("keepends", .bool(false))])
            return .array(JinjaText.splitLines(s, keepEnds: a[0].isTruthy).map { .string($0) })
        case "startswith", "endswith":
            let a = try args.bind(name, [("prefix", nil), ("start", JinjaValue.none), ("end", JinjaValue.none)])
            var subject = s
            if a[1] != .none || a[2] != .none {
                if case let .string(sliced) = try JinjaOperators.slice(.string(s), a[1], a[2], nil) { subject = sliced }
            }
            let candidates: [JinjaValue]
            if case let .array(list) = a[0] { candidates = list } else { candidates = [a[0]] }
            for candidate in candidates {
                guard case let .string(p) = candidate else {
                    throw JinjaFailure.type("\(name) first arg must be str or a tuple of str, not \(candidate.typeName)")
                }
                let hit = name == "startswith"
                    ? subject.unicodeScalars.starts(with: p.unicodeScalars)
                    : subject.unicodeScalars.reversed().starts(with: p.unicodeScalars.reversed())
                if hit { return .bool(true) }
            }
            return .bool(false)
        case "upper": return .string(s.uppercased())
        case "lower", "casefold": return .string(s.lowercased())
        case "title": return .string(JinjaText.pythonTitle(s))
        case "capitalize": return .string(JinjaText.capitalize(s))
        case "swapcase":
            return .string(String(s.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) }))
        case "replace":
            let a = try args.bind(name, [("old", nil), ("new", nil), ("count", .int(-1))])
            guard case let .string(old) = a[0], case let .string(new) = a[1] else {
                throw JinjaFailure.type("replace() arguments must be str")
            }
            return .string(JinjaText.replace(s, old, new, count: JinjaOperators.intIndex(a[2]) ?? -1))
        case "find", "rfind", "index", "rindex":
            let a = try args.bind(name, [("sub", nil)])
            guard case let .string(sub) = a[0] else { throw JinjaFailure.type("must be str, not \(a[0].typeName)") }
            let i = JinjaText.find(s, sub, reverse: name.hasPrefix("r"))
            if i < 0 && name.hasSuffix("index") { throw JinjaFailure.runtime("substring not found") }
            return .int(i)
        case "count":
            let a = try args.bind(name, [("sub", nil)])
            guard case let .string(sub) = a[0] else { throw JinjaFailure.type("must be str, not \(a[0].typeName)") }
            return .int(JinjaText.count(s, sub))
        case "join":
            let a = try args.bind(name, [("iterable", nil)])
            let parts = try JinjaOperators.iterate(a[0]).map { v -> String in
                guard case let .string(p) = v else {
                    throw JinjaFailure.type("sequence item: expected str instance, \(v.typeName) found")
                }
                return p
            }
            return .string(parts.joined(separator: s))
        case "format": return .string(try JinjaFormat.format(s, args))
        case "isdigit", "isnumeric", "isdecimal": return .bool(isAll(s) { $0.properties.numericType != nil })
        case "isalpha": return .bool(isAll(s) { $0.properties.isAlphabetic })
        case "isalnum": return .bool(isAll(s) { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        case "isspace": return .bool(isAll(s, JinjaText.isSpace))
        case "isupper": return .bool(s.contains { $0.isCased } && !s.contains { $0.isLowercase })
        case "islower": return .bool(s.contains { $0.isCased } && !s.contains { $0.isUppercase })
        case "removeprefix", "removesuffix":
            let a = try args.bind(name, [("affix", nil)])
            guard case let .string(p) = a[0] else { throw JinjaFailure.type("\(name)() argument must be str") }
            if name == "removeprefix", s.unicodeScalars.starts(with: p.unicodeScalars) {
                return .string(String(String.UnicodeScalarView(s.unicodeScalars.dropFirst(p.unicodeScalars.count))))
            }
            if name == "removesuffix", !p.isEmpty, s.unicodeScalars.reversed().starts(with: p.unicodeScalars.reversed()) {
                return .string(String(String.UnicodeScalarView(s.unicodeScalars.dropLast(p.unicodeScalars.count))))
            }
            return .string(s)
        case "center", "ljust", "rjust":
            let a = try args.bind(name, [("width", nil), ("fillchar", .string(" "))])
            guard let width = JinjaOperators.intIndex(a[0]), case let .string(fill) = a[1] else {
                throw JinjaFailure.type("\(name)() arguments have the wrong types")
            }
            return .string(pad(s, width: width, fill: fill, mode: name))
        case "zfill":
            let a = try args.bind(name, [("width", nil)])
            let width = JinjaOperators.intIndex(a[0]) ?? 0
            let n = s.unicodeScalars.count
            guard width > n else { return .string(s) }
            let zeros = String(repeating: "0", count: width - n)
            if let f = s.first, f == "-" || f == "+" { return .string(String(f) + zeros + s.dropFirst()) }
            return .string(zeros + s)
        case "partition", "rpartition":
            let a = try args.bind(name, [("sep", nil)])
            guard case let .string(sep) = a[0] else { throw JinjaFailure.type("must be str") }
            let i = JinjaText.find(s, sep, reverse: name == "rpartition")
            let scalars = Array(s.unicodeScalars)
            if i < 0 {
                return name == "partition" ? .array([.string(s), "", ""]) : .array(["", "", .string(s)])
            }
            let before = String(String.UnicodeScalarView(scalars[..<i]))
            let after = String(String.UnicodeScalarView(scalars[(i + sep.unicodeScalars.count)...]))
            return .array([.string(before), .string(sep), .string(after)])
        default:
            throw JinjaFailure.type("'str' object has no attribute '\(name)'")
        }
    }

    /// `str.center/ljust/rjust` (and the `center` filter), with Python's placement of the odd pad character.
    static func pad(_ s: String, width: Int, fill: String, mode: String) -> String {
        let n = s.unicodeScalars.count
        guard width > n else { return s }
        let margin = width - n
        switch mode {
        case "ljust": return s + String(repeating: fill, count: margin)
        case "rjust": return String(repeating: fill, count: margin) + s
        default:
            let left = margin / 2 + (margin & width & 1)
            return String(repeating: fill, count: left) + s + String(repeating: fill, count: margin - left)
        }
    }
}
