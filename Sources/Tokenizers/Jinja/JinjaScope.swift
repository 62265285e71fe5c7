/// One level of variable bindings. jinja2 gives every loop iteration, macro call and block `set` body its
/// own scope, so `{% set %}` inside them does not leak out (hence `namespace()`); a chain of scopes models that.
///
/// Scopes are reference types because macros keep their defining scope alive. They live within one
/// render on one thread, which makes the unchecked `Sendable` sound.
final class JinjaScope: @unchecked Sendable {
    private var variables: [String: JinjaValue]
    let parent: JinjaScope?

    init(parent: JinjaScope?, variables: [String: JinjaValue] = [:]) {
        self.parent = parent
        self.variables = variables
    }

    /// The innermost binding of `name`, or nil.
    func lookup(_ name: String) -> JinjaValue? {
        var scope: JinjaScope? = self
        while let s = scope {
            if let v = s.variables[name] { return v }
            scope = s.parent
        }
        return nil
    }

    /// Binds `name` in this scope (never in a parent, as jinja2's assignments are local).
    func set(_ name: String, _ value: JinjaValue) {
        variables[name] = value
    }
}
