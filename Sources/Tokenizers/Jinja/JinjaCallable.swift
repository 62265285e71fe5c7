/// A callable template value: a macro, a global function (`range`, `namespace`, `raise_exception`, ...),
/// a bound Python method (`'a b'.split`), or `loop.cycle`. Only the interpreter can invoke it.
public struct JinjaCallable: Sendable, Equatable {
    enum Kind: Sendable {
        case global(String)
        indirect case method(receiver: JinjaValue, name: String)
        case macro(JinjaMacroClosure)
        case cycle(index: Int)
    }

    let kind: Kind

    /// The name shown when the callable is printed or named in an error.
    public var name: String {
        switch kind {
        case let .global(n): return n
        case let .method(receiver, n): return "\(receiver.typeName).\(n)"
        case let .macro(m): return m.definition.name
        case .cycle: return "loop.cycle"
        }
    }

    public static func == (lhs: JinjaCallable, rhs: JinjaCallable) -> Bool {
        switch (lhs.kind, rhs.kind) {
        case let (.global(a), .global(b)): return a == b
        case let (.method(r1, n1), .method(r2, n2)): return n1 == n2 && r1 == r2
        case let (.macro(a), .macro(b)): return a === b
        case let (.cycle(a), .cycle(b)): return a == b
        default: return false
        }
    }
}

/// A macro together with the scope it was defined in, which it reads when called (late binding, like a
/// Python closure).
final class JinjaMacroClosure: @unchecked Sendable {
    let definition: JinjaStatement.Macro
    let scope: JinjaScope
    /// The `caller` a `{% call %}` block passes in; nil for ordinary macros.
    let caller: JinjaMacroClosure?

    init(definition: JinjaStatement.Macro, scope: JinjaScope, caller: JinjaMacroClosure? = nil) {
        self.definition = definition
        self.scope = scope
        self.caller = caller
    }
}
