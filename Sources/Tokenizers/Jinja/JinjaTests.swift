/// jinja2's built-in tests (`x is defined`, `x is divisibleby 3`, ...).
enum JinjaTests {
    /// Every test jinja2 knows; the parser rejects others as jinja2's compiler does.
    static let names: Set<String> = [
        "odd", "even", "divisibleby", "defined", "undefined", "filter", "test", "none", "boolean", "false", "true",
        "integer", "float", "number", "string", "mapping", "iterable", "sequence", "callable", "sameas", "escaped",
        "in", "lower", "upper", "eq", "equalto", "==", "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt",
        "greaterthan", ">", "ge", ">=",
    ]

    static func apply(_ name: String, _ original: JinjaValue, _ args: JinjaArguments) throws -> Bool {
        if name == "escaped" { if case .markup = original { return true }; return false }
        let value = original.plain
        func one() throws -> JinjaValue { try args.bind(name, [("other", nil)])[0] }
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": if case .none = value { return true }; return false
        case "boolean": if case .bool = value { return true }; return false
        case "true": if case .bool(true) = value { return true }; return false
        case "false": if case .bool(false) = value { return true }; return false
        case "integer": if case .int = value { return true }; return false
        case "float": if case .double = value { return true }; return false
        case "number": return value.numericValue != nil
        case "string": if case .string = value { return true }; return false
        case "mapping": if case .object = value { return true }; return false
        case "iterable", "sequence":
            switch value {
            case .string, .array, .object, .undefined: return true
            case .generator: return name == "iterable"
            default: return false
            }
        case "callable": if case .callable = value { return true }; return false
        case "filter": if case let .string(s) = value { return JinjaFilters.names.contains(s) }; return false
        case "test": if case let .string(s) = value { return names.contains(s) }; return false
        case "odd", "even":
            guard case let .int(i)? = value.numericValue else {
                if value.isUndefined { throw JinjaFailure.undefined("an undefined value has no parity") }
                throw JinjaFailure.type("not all arguments converted during string formatting")
            }
            return (abs(i) % 2 == 1) == (name == "odd")
        case "divisibleby":
            let n = try one()
            guard case let .int(i)? = value.numericValue, case let .int(j)? = n.numericValue else {
                return try JinjaOperators.binary(.modulo, value, n) == .int(0)
            }
            guard j != 0 else { throw JinjaFailure.runtime("integer division or modulo by zero") }
            return i % j == 0
        case "eq", "equalto", "==": return try JinjaOperators.compare(.equal, value, one())
        case "ne", "!=": return try JinjaOperators.compare(.notEqual, value, one())
        case "lt", "lessthan", "<": return try JinjaOperators.compare(.less, value, one())
        case "le", "<=": return try JinjaOperators.compare(.lessEqual, value, one())
        case "gt", "greaterthan", ">": return try JinjaOperators.compare(.greater, value, one())
        case "ge", ">=": return try JinjaOperators.compare(.greaterEqual, value, one())
        case "in": return try JinjaOperators.contains(one(), value)
        case "sameas":
            let other = try one()
            switch (value, other) {
            case (.none, .none), (.undefined, .undefined): return true
            case let (.bool(a), .bool(b)): return a == b
            case let (.namespace(a), .namespace(b)): return a === b
            case let (.int(a), .int(b)): return a == b && a >= -5 && a <= 256  // CPython's small-int cache
            default: return false
            }
        case "lower": if case let .string(s) = value { return s.contains { $0.isCased } && !s.contains { $0.isUppercase } }; return false
        case "upper": if case let .string(s) = value { return s.contains { $0.isCased } && !s.contains { $0.isLowercase } }; return false
        default:
            throw JinjaFailure.runtime("No test named '\(name)'.")
        }
    }
}
