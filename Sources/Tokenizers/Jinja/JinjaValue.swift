import Foundation

/// A value in a Jinja template: what the render context holds and what expressions evaluate to.
///
/// The cases mirror the Python types that jinja2 templates see, so that truthiness, comparison and
/// printing follow Python's rules (`{{ 3.0 }}` prints `3.0`, `{{ none }}` prints `None`).
public enum JinjaValue: Sendable, Equatable {
    /// A name or key that does not exist (jinja2's default `Undefined`): prints as "", is falsy,
    /// and raises when its attributes are read.
    case undefined
    /// Python `None`.
    case none
    /// Python `bool`.
    case bool(Bool)
    /// Python `int`.
    case int(Int)
    /// Python `float`.
    case double(Double)
    /// Python `str`.
    case string(String)
    /// A string marked safe (`|safe`, `|escape`): markupsafe's `Markup`, a `str` whose `+` HTML-escapes the
    /// plain strings added to it, exactly as jinja2 templates observe.
    case markup(String)
    /// Python `list` (tuples are represented as lists too).
    case array([JinjaValue])
    /// Python `dict` with string keys, in insertion order.
    case object(JinjaObject)
    /// The mutable object that `namespace(...)` returns; `{% set ns.attr = ... %}` writes through it.
    case namespace(JinjaNamespace)
    /// A one-pass sequence such as jinja2's `map`, `select`, `reject`, `selectattr`, `unique` and `items`
    /// return (a Python generator): iterable, always truthy, without length or indexing. Apply `|list` for a list.
    case generator([JinjaValue])
    /// Something callable: a macro, a global function such as `range`, or a bound method such as `'a'.upper`.
    case callable(JinjaCallable)

    /// Whether the value counts as true in a Python `if`.
    public var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case let .bool(b): return b
        case let .int(i): return i != 0
        case let .double(d): return d != 0
        case let .string(s), let .markup(s): return !s.isEmpty
        case let .array(a): return !a.isEmpty
        case .generator: return true
        case let .object(o): return !o.isEmpty
        case .namespace, .callable: return true
        }
    }

    /// Whether this is `.undefined`.
    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// The Python type name, as used in error messages (`'str' object is not callable`).
    var typeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .markup: return "Markup"
        case .generator: return "generator"
        case .array: return "list"
        case .object: return "dict"
        case .namespace: return "Namespace"
        case .callable: return "function"
        }
    }

    /// `str(value)` in Python, which is what `{{ value }}` prints.
    public var pythonString: String {
        switch self {
        case .undefined: return ""
        case let .string(s), let .markup(s): return s
        default: return pythonRepr
        }
    }

    /// `repr(value)` in Python, which is how values print inside lists and dicts.
    public var pythonRepr: String {
        switch self {
        case .undefined: return ""
        case .none: return "None"
        case let .bool(b): return b ? "True" : "False"
        case let .int(i): return String(i)
        case let .double(d): return JinjaText.floatRepr(d)
        case let .string(s): return JinjaText.stringRepr(s)
        case let .markup(s): return "Markup(" + JinjaText.stringRepr(s) + ")"
        case .generator: return "<generator object>"
        case let .array(items): return "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case let .object(o):
            return "{" + o.pairs.map { $0.0.pythonRepr + ": " + $0.1.pythonRepr }.joined(separator: ", ") + "}"
        case let .namespace(ns):
            return "<Namespace " + JinjaValue.object(ns.attributes).pythonRepr + ">"
        case let .callable(c): return "<function \(c.name)>"
        }
    }

    public static func == (lhs: JinjaValue, rhs: JinjaValue) -> Bool {
        switch (lhs, rhs) {
        case (.undefined, .undefined), (.none, .none): return true
        case let (.string(a), .string(b)), let (.markup(a), .markup(b)), let (.string(a), .markup(b)), let (.markup(a), .string(b)):
            return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        case let (.namespace(a), .namespace(b)): return a === b
        case let (.callable(a), .callable(b)): return a == b
        default:
            // Python compares bool, int and float numerically (`1 == True == 1.0`).
            if let a = lhs.numericValue, let b = rhs.numericValue {
                if case let .int(x) = a, case let .int(y) = b { return x == y }
                return a.doubleValue == b.doubleValue
            }
            return false
        }
    }

    /// The value with `Markup` seen as the `str` it is; every operation that does not care about
    /// safety marking works on this.
    var plain: JinjaValue {
        if case let .markup(s) = self { return .string(s) }
        return self
    }

    /// The value as a Python number (`bool` counts as `int`), or nil.
    var numericValue: JinjaValue? {
        switch self {
        case let .bool(b): return .int(b ? 1 : 0)
        case .int, .double: return self
        default: return nil
        }
    }

    /// The numeric value as a `Double`; only meaningful for numbers.
    var doubleValue: Double {
        switch self {
        case let .int(i): return Double(i)
        case let .double(d): return d
        case let .bool(b): return b ? 1 : 0
        default: return .nan
        }
    }
}

extension JinjaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    /// A string literal becomes `.string`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer literal becomes `.int`.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A floating-point literal becomes `.double`.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `true`/`false` become `.bool`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An array literal becomes `.array`.
    public init(arrayLiteral elements: JinjaValue...) { self = .array(elements) }
    /// A dictionary literal becomes `.object`, keeping the literal's key order.
    public init(dictionaryLiteral elements: (String, JinjaValue)...) { self = .object(JinjaObject(elements)) }
    /// `nil` becomes `.none` (Python `None`).
    public init(nilLiteral: ()) { self = .none }
}

extension JinjaValue {
    /// Converts the output of `JSONSerialization.jsonObject(with:)` (or plain Swift arrays, dictionaries,
    /// strings, numbers and `NSNull`). Dictionary key order is whatever the dictionary yields; use
    /// `init(json:)` to keep the key order of a JSON document.
    public init(jsonObject: Any) throws {
        switch jsonObject {
        case is NSNull: self = .none
        case let v as JinjaValue: self = v
        case let s as String: self = .string(s)
        case let n as NSNumber:
            // JSONSerialization returns booleans as NSNumber; its objCType tells them apart.
            let type = String(cString: n.objCType)
            if type == "c" || type == "B" {
                self = .bool(n.boolValue)
            } else if type == "d" || type == "f" {
                self = .double(n.doubleValue)
            } else {
                self = .int(n.intValue)
            }
        case let b as Bool: self = .bool(b)
        case let i as Int: self = .int(i)
        case let d as Double: self = .double(d)
        case let a as [Any]: self = .array(try a.map { try JinjaValue(jsonObject: $0) })
        case let d as [String: Any]:
            var o = JinjaObject()
            for key in d.keys.sorted() { o[key] = try JinjaValue(jsonObject: d[key]!) }
            self = .object(o)
        default:
            throw JinjaError.invalidContext(message: "cannot convert \(type(of: jsonObject)) to a template value")
        }
    }

    /// Parses a JSON document, keeping the key order of its objects as Python's `json.loads` does.
    public init(json: Data) throws {
        self = try JinjaJSON.parse(json)
    }
}
