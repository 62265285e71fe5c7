import Foundation

/// jinja2's built-in filters, plus Hugging Face's `tojson`, with jinja2 3.1's argument names and defaults.
enum JinjaFilters {
    /// Every filter jinja2 knows; the parser rejects others as jinja2's compiler does.
    static let names: Set<String> = [
        "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape",
        "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int", "items", "join",
        "last", "length", "list", "lower", "map", "max", "min", "pprint", "random", "reject", "rejectattr",
        "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags",
        "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode", "urlize", "wordcount",
        "wordwrap", "xmlattr",
    ]

    static func apply(_ name: String, _ original: JinjaValue, _ args: JinjaArguments) throws -> JinjaValue {
        switch name {
        case "safe":
            if case .markup = original { return original }
            return .markup(original.pythonString)
        case "e", "escape":
            if case .markup = original { return original }
            return .markup(htmlEscape(original.pythonString))
        case "forceescape":
            return .markup(htmlEscape(original.pythonString))
        default:
            return try applyPlain(name, original.plain, args)
        }
    }

    private static func applyPlain(_ name: String, _ value: JinjaValue, _ args: JinjaArguments) throws -> JinjaValue {
        switch name {
        case "abs":
            switch value {
            case let .int(i): return .int(abs(i))
            case let .double(d): return .double(abs(d))
            case let .bool(b): return .int(b ? 1 : 0)
            default: throw JinjaFailure.type("bad operand type for abs(): '\(value.typeName)'")
            }
        case "attr":
            let a = try args.bind(name, [("name", nil)])
            if value.isUndefined { throw JinjaFailure.undefined("cannot read an attribute of an undefined value") }
            return JinjaOperators.attribute(value, a[0].pythonString)
        case "batch":
            let a = try args.bind(name, [("linecount", nil), ("fill_with", JinjaValue.none)])
            guard let size = JinjaOperators.intIndex(a[0]), size > 0 else { throw JinjaFailure.runtime("batch size must be positive") }
            var rows: [JinjaValue] = []
            var row: [JinjaValue] = []
            for item in try JinjaOperators.iterate(value) {
                row.append(item)
                if row.count == size { rows.append(.array(row)); row = [] }
            }
            if !row.isEmpty {
                if a[1] != JinjaValue.none {
                    while row.count < size { row.append(a[1]) }
                }
                rows.append(.array(row))
            }
            return .generator(rows)
        case "capitalize": return .string(JinjaText.capitalize(value.pythonString))
        case "center":
            let a = try args.bind(name, [("width", .int(80))])
            return .string(JinjaMethods.pad(value.pythonString, width: JinjaOperators.intIndex(a[0]) ?? 80, fill: " ", mode: "center"))
        case "count", "length": return .int(try JinjaOperators.length(value))
        case "d", "default":
            let a = try args.bind(name, [("default_value", .string("")), ("boolean", .bool(false))])
            if value.isUndefined || (a[1].isTruthy && !value.isTruthy) { return a[0] }
            return value
        case "dictsort":
            let a = try args.bind(name, [("case_sensitive", .bool(false)), ("by", .string("key")), ("reverse", .bool(false))])
            guard case let .object(o) = value else { throw JinjaFailure.type("dictsort expects a mapping, got '\(value.typeName)'") }
            let byValue: Bool
            switch a[1] {
            case .string("key"): byValue = false
            case .string("value"): byValue = true
            default: throw JinjaFailure.runtime("You can only sort by either \"key\" or \"value\"")
            }
            let sorted = try stableSort(o.pairs, reverse: a[2].isTruthy) { p in
                sortKey(byValue ? p.1 : p.0, caseSensitive: a[0].isTruthy)
            }
            return .array(sorted.map { .array([$0.0, $0.1]) })
        case "first":
            if case let .object(o) = value { return o.keyValues.first ?? .undefined }
            return try JinjaOperators.iterate(value).first ?? .undefined
        case "last":
            if case .generator = value { throw JinjaFailure.type("'generator' object is not reversible") }
            return try JinjaOperators.iterate(value).last ?? .undefined
        case "float":
            let a = try args.bind(name, [("default", .double(0))])
            switch value {
            case let .double(d): return .double(d)
            case let .int(i): return .double(Double(i))
            case let .bool(b): return .double(b ? 1 : 0)
            case let .string(s):
                let t = JinjaText.strip(s, chars: nil, leading: true, trailing: true).replacingOccurrences(of: "_", with: "")
                if let d = Double(t), !t.lowercased().hasPrefix("0x") { return .double(d) }
                return a[0]
            default: return a[0]
            }
        case "format":
            if !args.keyword.isEmpty && !args.positional.isEmpty {
                throw JinjaFailure.runtime("can't handle positional and keyword arguments at the same time")
            }
            let formatArgs: JinjaValue = args.keyword.isEmpty ? .array(args.positional) : .object(JinjaObject(args.keyword))
            return .string(try JinjaFormat.printf(value.pythonString, formatArgs))
        case "indent":
            let a = try args.bind(name, [("width", .int(4)), ("first", .bool(false)), ("blank", .bool(false))])
            let indentation: String
            if case let .string(s) = a[0] { indentation = s } else { indentation = String(repeating: " ", count: max(0, JinjaOperators.intIndex(a[0]) ?? 4)) }
            let s = value.pythonString + "\n"
            var lines = JinjaText.splitLines(s)
            var rv: String
            if a[2].isTruthy {
                rv = lines.joined(separator: "\n" + indentation)
            } else {
                rv = lines.isEmpty ? "" : lines.removeFirst()
                if !lines.isEmpty {
                    rv += "\n" + lines.map { $0.isEmpty ? $0 : indentation + $0 }.joined(separator: "\n")
                }
            }
            if a[1].isTruthy { rv = indentation + rv }
            return .string(rv)
        case "int":
            let a = try args.bind(name, [("default", .int(0)), ("base", .int(10))])
            switch value {
            case let .int(i): return .int(i)
            case let .bool(b): return .int(b ? 1 : 0)
            case let .double(d):
                guard d.isFinite, abs(d) < 9.2e18 else { return a[0] }
                return .int(Int(d.rounded(.towardZero)))
            case let .string(s):
                let t = JinjaText.strip(s, chars: nil, leading: true, trailing: true).replacingOccurrences(of: "_", with: "")
                let base = JinjaOperators.intIndex(a[1]) ?? 10
                if let i = Int(t, radix: base) { return .int(i) }
                if let d = Double(t), d.isFinite, abs(d) < 9.2e18 { return .int(Int(d.rounded(.towardZero))) }
                return a[0]
            default: return a[0]
            }
        case "items":
            switch value {
            case let .object(o): return .generator(o.pairs.map { .array([$0.0, $0.1]) })
            case .undefined: return .generator([])
            default: throw JinjaFailure.type("Can only get item pairs from a mapping.")
            }
        case "join":
            let a = try args.bind(name, [("d", .string("")), ("attribute", JinjaValue.none)])
            var items = try JinjaOperators.iterate(value)
            if a[1] != .none { items = items.map { attributePath($0, a[1]) } }
            return .string(items.map(\.pythonString).joined(separator: a[0].pythonString))
        case "list": return .array(try JinjaOperators.iterate(value))
        case "lower": return .string(value.pythonString.lowercased())
        case "upper": return .string(value.pythonString.uppercased())
        case "title": return .string(JinjaText.jinjaTitle(value.pythonString))
        case "map":
            // jinja2's map/select/reject are generators guarded by `if value:`, so None maps to nothing.
            let items = value.isTruthy ? try JinjaOperators.iterate(value) : []
            if let attribute = args.keyword.first(where: { $0.0 == "attribute" })?.1 {
                let fallback = args.keyword.first(where: { $0.0 == "default" })?.1
                return .generator(items.map { item in
                    let v = attributePath(item, attribute)
                    if v.isUndefined, let fallback { return fallback }
                    return v
                })
            }
            guard let filterName = args.positional.first else { throw JinjaFailure.runtime("map requires a filter name or attribute=") }
            let rest = JinjaArguments(positional: Array(args.positional.dropFirst()), keyword: args.keyword)
            return .generator(try items.map { try apply(filterName.pythonString, $0, rest) })
        case "max", "min":
            let a = try args.bind(name, [("case_sensitive", .bool(false)), ("attribute", JinjaValue.none)])
            let items = try JinjaOperators.iterate(value)
            guard !items.isEmpty else { return .undefined }
            var best = items[0]
            for item in items.dropFirst() {
                let k1 = sortKey(a[1] == .none ? item : attributePath(item, a[1]), caseSensitive: a[0].isTruthy)
                let k0 = sortKey(a[1] == .none ? best : attributePath(best, a[1]), caseSensitive: a[0].isTruthy)
                let c = try JinjaOperators.order(k1, k0)
                if (name == "max" && c > 0) || (name == "min" && c < 0) { best = item }
            }
            return best
        case "pprint": return .string(value.pythonRepr)
        case "select", "reject":
            let items = value.isTruthy ? try JinjaOperators.iterate(value) : []
            let keep = name == "select"
            guard let test = args.positional.first else { return .generator(items.filter { $0.isTruthy == keep }) }
            let rest = JinjaArguments(positional: Array(args.positional.dropFirst()), keyword: args.keyword)
            return .generator(try items.filter { try JinjaTests.apply(test.pythonString, $0, rest) == keep })
        case "selectattr", "rejectattr":
            let items = value.isTruthy ? try JinjaOperators.iterate(value) : []
            let keep = name == "selectattr"
            guard let attribute = args.positional.first else { throw JinjaFailure.runtime("\(name) requires an attribute name") }
            guard args.positional.count > 1 else {
                return .generator(items.filter { attributePath($0, attribute).isTruthy == keep })
            }
            let test = args.positional[1].pythonString
            let rest = JinjaArguments(positional: Array(args.positional.dropFirst(2)), keyword: args.keyword)
            return .generator(try items.filter { try JinjaTests.apply(test, attributePath($0, attribute), rest) == keep })
        case "replace":
            let a = try args.bind(name, [("old", nil), ("new", nil), ("count", JinjaValue.none)])
            return .string(JinjaText.replace(value.pythonString, a[0].pythonString, a[1].pythonString,
                                             count: JinjaOperators.intIndex(a[2]) ?? -1))
        case "reverse":
            if case let .string(s) = value { return .string(String(String.UnicodeScalarView(s.unicodeScalars.reversed()))) }
            // jinja2 returns `reversed(value)`, an iterator, when the value supports it; a generator does not,
            // so it falls back to a reversed list.
            if case .generator = value { return .array(try JinjaOperators.iterate(value).reversed()) }
            return .generator(try JinjaOperators.iterate(value).reversed())
        case "round":
            let a = try args.bind(name, [("precision", .int(0)), ("method", .string("common"))])
            let precision = JinjaOperators.intIndex(a[0]) ?? 0
            guard let n = value.numericValue else { throw JinjaFailure.type("type \(value.typeName) doesn't define __round__ method") }
            let method = a[1].pythonString
            guard ["common", "ceil", "floor"].contains(method) else {
                throw JinjaFailure.runtime("method must be common, ceil or floor")
            }
            if method == "common" {
                if case let .int(i) = n { return .int(i) }
                let d = n.doubleValue
                if precision == 0 { return .double(d.rounded(.toNearestOrEven)) }
                return .double(Double(String(format: "%.\(max(0, precision))f", d)) ?? d)
            }
            let scale = pow(10.0, Double(precision))
            let scaled = n.doubleValue * scale
            return .double((method == "ceil" ? scaled.rounded(.up) : scaled.rounded(.down)) / scale)
        case "safe", "string":
            if case .string = value { return value }
            return .string(value.pythonString)
        case "sort":
            let a = try args.bind(name, [("reverse", .bool(false)), ("case_sensitive", .bool(false)), ("attribute", JinjaValue.none)])
            let items = try JinjaOperators.iterate(value)
            return .array(try stableSort(items, reverse: a[0].isTruthy) { item in
                sortKey(a[2] == .none ? item : attributePath(item, a[2]), caseSensitive: a[1].isTruthy)
            })
        case "sum":
            let a = try args.bind(name, [("attribute", JinjaValue.none), ("start", .int(0))])
            var total = a[1]
            for item in try JinjaOperators.iterate(value) {
                total = try JinjaOperators.binary(.add, total, a[0] == .none ? item : attributePath(item, a[0]))
            }
            return total
        case "tojson":
            let a = try args.bind(name, [("ensure_ascii", .bool(false)), ("indent", JinjaValue.none),
                                         ("separators", JinjaValue.none), ("sort_keys", .bool(false))])
            var indent: String?
            switch a[1] {
            case let .int(i): indent = String(repeating: " ", count: max(0, i))
            case let .string(s): indent = s
            default: indent = nil
            }
            var options = JinjaJSON.Options(ensureASCII: a[0].isTruthy, indent: indent,
                                            itemSeparator: indent == nil ? ", " : ",", keySeparator: ": ",
                                            sortKeys: a[3].isTruthy)
            if case let .array(seps) = a[2], seps.count == 2 {
                options.itemSeparator = seps[0].pythonString
                options.keySeparator = seps[1].pythonString
            }
            return .string(try JinjaJSON.dumps(value, options))
        case "trim":
            let a = try args.bind(name, [("chars", JinjaValue.none)])
            let chars: String? = a[0] == .none || a[0].isUndefined ? nil : a[0].pythonString
            return .string(JinjaText.strip(value.pythonString, chars: chars, leading: true, trailing: true))
        case "truncate":
            let a = try args.bind(name, [("length", .int(255)), ("killwords", .bool(false)), ("end", .string("...")),
                                         ("leeway", JinjaValue.none)])
            let s = Array(value.pythonString.unicodeScalars)
            let length = JinjaOperators.intIndex(a[0]) ?? 255
            let end = a[2].pythonString
            let leeway = JinjaOperators.intIndex(a[3]) ?? 5
            if s.count <= length + leeway { return .string(value.pythonString) }
            let cut = String(String.UnicodeScalarView(s.prefix(max(0, length - end.unicodeScalars.count))))
            if a[1].isTruthy { return .string(cut + end) }
            return .string((try JinjaText.rsplit(cut, separator: " ", maxSplit: 1).first ?? cut) + end)
        case "unique":
            let a = try args.bind(name, [("case_sensitive", .bool(false)), ("attribute", JinjaValue.none)])
            var seen: [JinjaValue] = []
            var result: [JinjaValue] = []
            for item in try JinjaOperators.iterate(value) {
                let key = sortKey(a[1] == .none ? item : attributePath(item, a[1]), caseSensitive: a[0].isTruthy)
                if !seen.contains(key) { seen.append(key); result.append(item) }
            }
            return .generator(result)
        case "wordcount":
            var count = 0
            var inWord = false
            for u in value.pythonString.unicodeScalars {
                let w = JinjaText.isWordCharacter(u)
                if w && !inWord { count += 1 }
                inWord = w
            }
            return .int(count)
        default:
            if names.contains(name) { throw JinjaFailure.runtime("the '\(name)' filter is not supported by this interpreter") }
            throw JinjaFailure.runtime("No filter named '\(name)'.")
        }
    }

    /// `environment.getitem` along a dotted path (`attribute='function.name'`), as jinja2's `make_attrgetter`.
    static func attributePath(_ item: JinjaValue, _ path: JinjaValue) -> JinjaValue {
        if let i = JinjaOperators.intIndex(path) { return JinjaOperators.item(item, .int(i)) }
        var v = item
        for part in path.pythonString.split(separator: ".", omittingEmptySubsequences: false) {
            let key: JinjaValue = Int(part).map { .int($0) } ?? .string(String(part))
            v = JinjaOperators.item(v, key)
        }
        return v
    }

    /// Lowercases strings unless `caseSensitive`, as jinja2's `ignore_case` postprocessor does.
    static func sortKey(_ v: JinjaValue, caseSensitive: Bool) -> JinjaValue {
        if !caseSensitive, case let .string(s) = v { return .string(s.lowercased()) }
        return v
    }

    /// Python's stable `sorted(key=..., reverse=...)`; a comparison Python refuses surfaces as a TypeError.
    static func stableSort<T>(_ items: [T], reverse: Bool, key: (T) -> JinjaValue) throws -> [T] {
        let keyed = items.enumerated().map { ($0.offset, key($0.element), $0.element) }
        var failure: Error?
        let sorted = keyed.sorted { x, y in
            do {
                let c = try JinjaOperators.order(x.1, y.1)
                if c != 0 { return reverse ? c > 0 : c < 0 }
            } catch { failure = error }
            return x.0 < y.0
        }
        if let failure { throw failure }
        return sorted.map(\.2)
    }

    /// markupsafe's `escape`.
    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
