/// A statement node of a parsed template: template text, `{{ output }}` and `{% tags %}`.
indirect enum JinjaStatement: Sendable {
    /// The left side of `set`, `for` and `with`: a name, a tuple of targets, or `namespace.attribute`.
    indirect enum Target: Sendable {
        case name(String)
        case tuple([Target])
        case namespaceAttribute(String, String, offset: Int)
    }

    /// `{% for target in iterable if condition %}body{% else %}otherwise{% endfor %}`.
    struct ForLoop: Sendable {
        var target: Target
        var iterable: JinjaExpression
        var condition: JinjaExpression?
        var body: [JinjaStatement]
        var otherwise: [JinjaStatement]
        var offset: Int
    }

    /// A macro's signature and body; also the signature of a `{% call(args) %}` block's `caller`.
    final class Macro: Sendable {
        let name: String
        let parameters: [(name: String, defaultValue: JinjaExpression?)]
        let body: [JinjaStatement]

        init(name: String, parameters: [(name: String, defaultValue: JinjaExpression?)], body: [JinjaStatement]) {
            self.name = name
            self.parameters = parameters
            self.body = body
        }
    }

    case text(String)
    case output(JinjaExpression)
    case ifElse(branches: [(JinjaExpression, [JinjaStatement])], otherwise: [JinjaStatement])
    case forLoop(ForLoop)
    case set(Target, JinjaExpression, offset: Int)
    /// `{% set target | filters %}body{% endset %}`; `filter` is a chain whose innermost base is nil.
    case setBlock(Target, filter: JinjaExpression?, body: [JinjaStatement], offset: Int)
    case macro(Macro)
    /// `{% call(args) callee(...) %}body{% endcall %}`: `body` becomes the `caller` the callee may invoke.
    case callBlock(caller: Macro, call: JinjaExpression, offset: Int)
    case filterBlock(filter: JinjaExpression, body: [JinjaStatement])
    case with([(Target, JinjaExpression)], body: [JinjaStatement])
    /// Hugging Face's `{% generation %}` extension, which renders its body unchanged.
    case generation([JinjaStatement])
    case breakLoop(offset: Int)
    case continueLoop(offset: Int)
}
