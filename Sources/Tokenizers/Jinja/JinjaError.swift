import Foundation

/// An error raised while parsing or rendering a Jinja template.
///
/// Each case names what went wrong and, where the template source is at fault, the line and column
/// (1-based) of the construct, so that the author of a chat template can find and fix it.
public enum JinjaError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The template text is not valid Jinja (`TemplateSyntaxError` in jinja2).
    case syntax(message: String, line: Int, column: Int)
    /// A filter the interpreter does not know, at the filter's position.
    case unknownFilter(name: String, line: Int, column: Int)
    /// A test (`x is name`) the interpreter does not know, at the test's position.
    case unknownTest(name: String, line: Int, column: Int)
    /// An undefined value was used in a way that needs a value, e.g. `foo.bar` where `foo` is undefined
    /// (`UndefinedError` in jinja2).
    case undefined(message: String, line: Int, column: Int)
    /// An operation was applied to values of the wrong type, e.g. `'a' + 1` (`TypeError` in Python).
    case type(message: String, line: Int, column: Int)
    /// A runtime failure that is neither a type nor an undefined error, e.g. a bad argument value.
    case runtime(message: String, line: Int, column: Int)
    /// The template called `raise_exception(message)`: the template rejects its input (`TemplateError`).
    case raised(message: String)
    /// The sandbox forbids the operation, e.g. `list.append` (`SecurityError` in jinja2's immutable sandbox).
    case security(message: String, line: Int, column: Int)
    /// The render context could not be built, e.g. `messagesJSON` is not a JSON array of objects.
    case invalidContext(message: String)

    public var description: String {
        switch self {
        case let .syntax(message, line, column):
            return "Jinja syntax error at line \(line), column \(column): \(message)"
        case let .unknownFilter(name, line, column):
            return "Jinja error at line \(line), column \(column): no filter named '\(name)'"
        case let .unknownTest(name, line, column):
            return "Jinja error at line \(line), column \(column): no test named '\(name)'"
        case let .undefined(message, line, column):
            return "Jinja undefined error at line \(line), column \(column): \(message)"
        case let .type(message, line, column):
            return "Jinja type error at line \(line), column \(column): \(message)"
        case let .runtime(message, line, column):
            return "Jinja runtime error at line \(line), column \(column): \(message)"
        case let .raised(message):
            return "the chat template raised an exception: \(message)"
        case let .security(message, line, column):
            return "Jinja security error at line \(line), column \(column): \(message)"
        case let .invalidContext(message):
            return "invalid chat template context: \(message)"
        }
    }
}
