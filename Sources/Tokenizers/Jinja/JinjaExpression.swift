/// An expression node of a parsed template. `offset` payloads locate the node in the source for errors.
indirect enum JinjaExpression: Sendable {
    /// The arguments of a call, filter or test: `f(a, b, k=v, *rest, **options)`.
    struct Arguments: Sendable {
        var positional: [JinjaExpression] = []
        var keyword: [(String, JinjaExpression)] = []
        var splatPositional: JinjaExpression?
        var splatKeyword: JinjaExpression?
    }

    enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%"
        case power = "**", concat = "~"
    }

    enum CompareOperator: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
        case contains = "in", notContains = "not in"
    }

    case literal(JinjaValue)
    case name(String, offset: Int)
    case list([JinjaExpression])
    case tuple([JinjaExpression])
    case dict([(JinjaExpression, JinjaExpression)])
    case getattr(JinjaExpression, String, offset: Int)
    case getitem(JinjaExpression, JinjaExpression, offset: Int)
    /// `a:b:c` inside a subscript; only valid as the index of `.getitem`.
    case slice(JinjaExpression?, JinjaExpression?, JinjaExpression?)
    case negate(JinjaExpression, offset: Int)
    case plus(JinjaExpression, offset: Int)
    case not(JinjaExpression)
    case binary(BinaryOperator, JinjaExpression, JinjaExpression, offset: Int)
    case and(JinjaExpression, JinjaExpression)
    case or(JinjaExpression, JinjaExpression)
    case compare(JinjaExpression, [(CompareOperator, JinjaExpression)], offset: Int)
    case conditional(test: JinjaExpression, then: JinjaExpression, otherwise: JinjaExpression?)
    case call(JinjaExpression, Arguments, offset: Int)
    /// `value | name(args)`; `value` is nil for the filter of a `{% filter %}` block or `{% set x | f %}`.
    case filter(JinjaExpression?, String, Arguments, offset: Int)
    case test(JinjaExpression, String, Arguments, offset: Int)

    /// A readable rendering of the expression for error messages (`messages[0].content`).
    var describe: String {
        switch self {
        case let .name(n, _): return n
        case let .getattr(base, attr, _): return base.describe + "." + attr
        case let .getitem(base, index, _): return base.describe + "[" + index.describe + "]"
        case let .literal(v): return v.pythonRepr
        case let .call(callee, _, _): return callee.describe + "(...)"
        case let .filter(base, name, _, _): return (base?.describe ?? "") + "|" + name
        default: return "expression"
        }
    }
}
