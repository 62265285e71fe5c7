/// A runtime failure raised by filters, tests and methods, which do not know where in the template they
/// were called; the interpreter turns it into a `JinjaError` carrying the line and column.
enum JinjaFailure: Error {
    case undefined(String)
    case type(String)
    case runtime(String)
    case security(String)
}
