import Foundation

/// Python's semantics for operators, iteration, attribute and item access on template values.
enum JinjaOperators {
    /// List and dict methods that mutate; jinja2's `ImmutableSandboxedEnvironment` refuses to call them.
    static let listMutators: Set<String> = ["append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"]
    static let dictMutators: Set<String> = ["clear", "pop", "popitem", "setdefault", "update"]

    /// Whether reading `attribute` of `value` is forbidden by the immutable sandbox.
    static func isUnsafe(_ value: JinjaValue, _ attribute: String) -> Bool {
        if attribute.hasPrefix("_") { return true }
        switch value {
        case .array: return listMutators.contains(attribute)
        case .object: return dictMutators.contains(attribute)
        default: return false
        }
    }

    /// `iter(value)` materialized: lists, dict keys, string characters; undefined iterates as empty.
    static func iterate(_ value: JinjaValue) throws -> [JinjaValue] {
        switch value.plain {
        case let .array(a), let .generator(a): return a
        case let .object(o): return o.keyValues
        case let .string(s): return s.unicodeScalars.map { .string(String($0)) }
        case .undefined: return []
        default: throw JinjaFailure.type("'\(value.typeName)' object is not iterable")
        }
    }

    /// `len(value)`.
    static func length(_ value: JinjaValue) throws -> Int {
        switch value.plain {
        case let .array(a): return a.count
        case let .object(o): return o.count
        case let .string(s): return s.unicodeScalars.count
        case .undefined: return 0
        default: throw JinjaFailure.type("object of type '\(value.typeName)' has no len()")
        }
    }

    /// jinja2's sandboxed `getattr`: a method of the value if it has one, else (for dicts) the key.
    static func attribute(_ original: JinjaValue, _ name: String) -> JinjaValue {
        let value = original.plain
        if isUnsafe(value, name) { return .undefined }
        switch value {
        case let .object(o):
            if JinjaMethods.dictMethods.contains(name) { return .callable(.init(kind: .method(receiver: value, name: name))) }
            return o[name] ?? .undefined
        case let .namespace(ns):
            return ns.attributes[name] ?? .undefined
        case .string:
            return JinjaMethods.stringMethods.contains(name) ? .callable(.init(kind: .method(receiver: value, name: name))) : .undefined
        case .array:
            return JinjaMethods.listMethods.contains(name) ? .callable(.init(kind: .method(receiver: value, name: name))) : .undefined
        default:
            return .undefined
        }
    }

    /// jinja2's sandboxed `getitem`: `value[key]`, falling back to the attribute for string keys.
    static func item(_ original: JinjaValue, _ rawKey: JinjaValue) -> JinjaValue {
        let value = original.plain, key = rawKey.plain
        switch (value, key) {
        case let (.object(o), _):
            if let v = o.lookup(key) { return v }
            if case let .string(k) = key { return attribute(value, k) }
            return .undefined
        case let (.array(a), _):
            if let i = intIndex(key) {
                let j = i < 0 ? i + a.count : i
                return j >= 0 && j < a.count ? a[j] : .undefined
            }
            if case let .string(k) = key { return attribute(value, k) }
            return .undefined
        case let (.string(s), _):
            if let i = intIndex(key) {
                let scalars = Array(s.unicodeScalars)
                let j = i < 0 ? i + scalars.count : i
                return j >= 0 && j < scalars.count ? .string(String(scalars[j])) : .undefined
            }
            if case let .string(k) = key { return attribute(value, k) }
            return .undefined
        case let (_, .string(k)):
            return attribute(value, k)
        default:
            return .undefined
        }
    }

    static func intIndex(_ v: JinjaValue) -> Int? {
        switch v {
        case let .int(i): return i
        case let .bool(b): return b ? 1 : 0
        default: return nil
        }
    }

    /// `value[start:stop:step]` with Python's clamping of out-of-range and negative bounds.
    static func slice(_ value: JinjaValue, _ start: JinjaValue?, _ stop: JinjaValue?, _ step: JinjaValue?) throws -> JinjaValue {
        func bound(_ v: JinjaValue?) throws -> Int? {
            guard let v else { return nil }
            if case .none = v { return nil }
            guard let i = intIndex(v) else {
                throw JinjaFailure.type("slice indices must be integers or None or have an __index__ method")
            }
            return i
        }
        let step = try bound(step) ?? 1
        guard step != 0 else { throw JinjaFailure.runtime("slice step cannot be zero") }
        func indices(_ count: Int) throws -> [Int] {
            let lower = step > 0 ? 0 : -1
            let upper = step > 0 ? count : count - 1
            func clamp(_ v: Int?, _ def: Int) -> Int {
                guard var x = v else { return def }
                if x < 0 { x += count; if x < lower { x = lower } } else if x > upper { x = upper }
                return x
            }
            let s = clamp(try bound(start), step > 0 ? lower : upper)
            let e = clamp(try bound(stop), step > 0 ? upper : lower)
            return Array(stride(from: s, to: e, by: step))
        }
        switch value.plain {
        case let .array(a):
            return .array(try indices(a.count).map { a[$0] })
        case let .string(s):
            let scalars = Array(s.unicodeScalars)
            var v = String.UnicodeScalarView()
            for i in try indices(scalars.count) { v.append(scalars[i]) }
            return .string(String(v))
        case .undefined:
            throw JinjaFailure.undefined("cannot slice an undefined value")
        default:
            throw JinjaFailure.type("'\(value.typeName)' object is not subscriptable")
        }
    }

    /// `item in container`.
    static func contains(_ rawContainer: JinjaValue, _ rawItem: JinjaValue) throws -> Bool {
        let container = rawContainer.plain, item = rawItem.plain
        switch container {
        case let .generator(a): return a.contains(item)
        case let .string(s):
            guard case let .string(needle) = item else {
                throw JinjaFailure.type("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return needle.isEmpty || JinjaText.find(s, needle) >= 0
        case let .array(a): return a.contains(item)
        case let .object(o):
            return o.lookup(item) != nil
        case .undefined: return false
        default: throw JinjaFailure.type("argument of type '\(container.typeName)' is not iterable")
        }
    }

    /// Python's ordering: -1, 0 or 1, or a `TypeError` for values Python cannot order.
    static func order(_ rawA: JinjaValue, _ rawB: JinjaValue, op: String = "<") throws -> Int {
        let a = rawA.plain, b = rawB.plain
        if let x = a.numericValue, let y = b.numericValue {
            if case let .int(i) = x, case let .int(j) = y { return i < j ? -1 : i > j ? 1 : 0 }
            let p = x.doubleValue, q = y.doubleValue
            return p < q ? -1 : p > q ? 1 : 0
        }
        switch (a, b) {
        case let (.string(s), .string(t)):
            if s == t { return 0 }
            return JinjaText.less(s, t) ? -1 : (JinjaText.less(t, s) ? 1 : 0)
        case let (.array(x), .array(y)):
            for (p, q) in zip(x, y) where !(p == q) { return try order(p, q, op: op) }
            return x.count < y.count ? -1 : x.count > y.count ? 1 : 0
        case (.undefined, _), (_, .undefined):
            throw JinjaFailure.undefined("an undefined value cannot be compared with '\(op)'")
        default:
            throw JinjaFailure.type("'\(op)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
        }
    }

    /// A comparison operator applied to two values.
    static func compare(_ op: JinjaExpression.CompareOperator, _ a: JinjaValue, _ b: JinjaValue) throws -> Bool {
        switch op {
        case .equal: return a == b
        case .notEqual: return !(a == b)
        case .contains: return try contains(b, a)
        case .notContains: return try !contains(b, a)
        case .less: return try order(a, b, op: "<") < 0
        case .lessEqual: return try order(a, b, op: "<=") <= 0
        case .greater: return try order(a, b, op: ">") > 0
        case .greaterEqual: return try order(a, b, op: ">=") >= 0
        }
    }

    /// An arithmetic operator applied to two values, with Python's int/float rules.
    static func binary(_ op: JinjaExpression.BinaryOperator, _ rawA: JinjaValue, _ rawB: JinjaValue) throws -> JinjaValue {
        if op == .concat { return .string(rawA.pythonString + rawB.pythonString) }
        if op == .add {
            // Markup + str escapes the plain side (markupsafe's __add__/__radd__).
            switch (rawA, rawB) {
            case let (.markup(x), .markup(y)): return .markup(x + y)
            case let (.markup(x), .string(y)): return .markup(x + JinjaFilters.htmlEscape(y))
            case let (.string(x), .markup(y)): return .markup(JinjaFilters.htmlEscape(x) + y)
            default: break
            }
        }
        let a = rawA.plain, b = rawB.plain
        func unsupported() -> JinjaFailure {
            .type("unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'")
        }
        if let x = a.numericValue, let y = b.numericValue {
            if case let .int(i) = x, case let .int(j) = y {
                switch op {
                case .add:
                    let (r, o) = i.addingReportingOverflow(j); if !o { return .int(r) }
                    return .double(Double(i) + Double(j))
                case .subtract:
                    let (r, o) = i.subtractingReportingOverflow(j); if !o { return .int(r) }
                    return .double(Double(i) - Double(j))
                case .multiply:
                    let (r, o) = i.multipliedReportingOverflow(by: j); if !o { return .int(r) }
                    return .double(Double(i) * Double(j))
                case .divide:
                    guard j != 0 else { throw JinjaFailure.runtime("division by zero") }
                    return .double(Double(i) / Double(j))
                case .floorDivide:
                    guard j != 0 else { throw JinjaFailure.runtime("integer division or modulo by zero") }
                    let q = i / j
                    return .int((i % j != 0 && ((i < 0) != (j < 0))) ? q - 1 : q)
                case .modulo:
                    guard j != 0 else { throw JinjaFailure.runtime("integer division or modulo by zero") }
                    let r = i % j
                    return .int((r != 0 && ((r < 0) != (j < 0))) ? r + j : r)
                case .power:
                    if j >= 0 {
                        var result = 1, base = i, e = j
                        var overflow = false
                        while e > 0 {
                            if e & 1 == 1 { let (r, o) = result.multipliedReportingOverflow(by: base); result = r; overflow = overflow || o }
                            e >>= 1
                            if e > 0 { let (r, o) = base.multipliedReportingOverflow(by: base); base = r; overflow = overflow || o }
                        }
                        if !overflow { return .int(result) }
                    }
                    return .double(pow(Double(i), Double(j)))
                case .concat: break
                }
            }
            let p = x.doubleValue, q = y.doubleValue
            switch op {
            case .add: return .double(p + q)
            case .subtract: return .double(p - q)
            case .multiply: return .double(p * q)
            case .divide:
                guard q != 0 else { throw JinjaFailure.runtime("float division by zero") }
                return .double(p / q)
            case .floorDivide:
                guard q != 0 else { throw JinjaFailure.runtime("float floor division by zero") }
                return .double((p / q).rounded(.down))
            case .modulo:
                guard q != 0 else { throw JinjaFailure.runtime("float modulo") }
                var r = fmod(p, q)
                if r != 0 && ((r < 0) != (q < 0)) { r += q }
                return .double(r)
            case .power: return .double(pow(p, q))
            case .concat: break
            }
        }
        switch (op, a, b) {
        case let (.add, .string(s), .string(t)): return .string(s + t)
        case let (.add, .array(s), .array(t)): return .array(s + t)
        case (.add, .string, _): throw JinjaFailure.type("can only concatenate str (not \"\(b.typeName)\") to str")
        case (.add, .array, _): throw JinjaFailure.type("can only concatenate list (not \"\(b.typeName)\") to list")
        case let (.multiply, .string(s), _), let (.multiply, _, .string(s)):
            guard let n = intIndex(a.numericValue == nil ? b : a) else { throw unsupported() }
            return .string(n > 0 ? String(repeating: s, count: n) : "")
        case let (.multiply, .array(s), _), let (.multiply, _, .array(s)):
            guard let n = intIndex(a.numericValue == nil ? b : a) else { throw unsupported() }
            return .array(n > 0 ? Array([[JinjaValue]](repeating: s, count: n).joined()) : [])
        case let (.modulo, .string(format), _):
            return .string(try JinjaFormat.printf(format, b))
        default:
            throw unsupported()
        }
    }
}
