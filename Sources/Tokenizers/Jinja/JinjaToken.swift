/// One lexical token of a Jinja template, with its offset (in Unicode scalars) in the normalized source.
struct JinjaToken: Sendable, Equatable {
    /// What kind of token this is; the payload carries its text or literal value.
    enum Kind: Sendable, Equatable {
        case data(String)
        case variableBegin, variableEnd, blockBegin, blockEnd
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        case op(String)
        case eof
    }

    var kind: Kind
    var offset: Int

    /// The token as jinja2's `describe_token` would name it in an error message.
    var describe: String {
        switch kind {
        case .data: return "template data"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case let .name(n): return n
        case let .string(s): return "'\(s)'"
        case let .integer(i): return String(i)
        case let .float(d): return String(d)
        case let .op(o): return o
        case .eof: return "end of template"
        }
    }

    func isName(_ n: String) -> Bool { if case .name(n) = kind { return true } else { return false } }
    func isOp(_ o: String) -> Bool { if case .op(o) = kind { return true } else { return false } }
}
