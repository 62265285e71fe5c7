/// Builds the statement tree from tokens with jinja2's grammar and operator precedence
/// (`parse_condexpr` → `or` → `and` → `not` → comparisons → `+ -` → `~` → `* / // %` → `**` → unary → postfix → filters/tests).
struct JinjaParser {
    private let tokens: [JinjaToken]
    private var index = 0
    private let sourceMap: JinjaSourceMap
    private var loopDepth = 0

    init(tokens: [JinjaToken], sourceMap: JinjaSourceMap) {
        self.tokens = tokens
        self.sourceMap = sourceMap
    }

    /// Parses the whole template, then checks filter and test names as jinja2's compiler does.
    mutating func parseTemplate() throws -> [JinjaStatement] {
        let body = try subparse(endNames: [])
        if case .eof = current.kind {} else { throw fail("unexpected '\(current.describe)'") }
        try JinjaParser.validate(body, soft: false, sourceMap: sourceMap)
        return body
    }

    // MARK: - token stream

    private var current: JinjaToken { tokens[index] }
    private func peek(_ n: Int = 1) -> JinjaToken { tokens[min(index + n, tokens.count - 1)] }
    private mutating func advance() -> JinjaToken {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    private func fail(_ message: String, at offset: Int? = nil) -> JinjaError {
        let (line, column) = sourceMap.location(of: offset ?? current.offset)
        return .syntax(message: message, line: line, column: column)
    }

    private mutating func skipName(_ n: String) -> Bool {
        if current.isName(n) { index += 1; return true }
        return false
    }

    private mutating func skipOp(_ o: String) -> Bool {
        if current.isOp(o) { index += 1; return true }
        return false
    }

    private mutating func expectOp(_ o: String) throws {
        guard skipOp(o) else { throw fail("expected '\(o)', got '\(current.describe)'") }
    }

    private mutating func expectName() throws -> String {
        guard case let .name(n) = current.kind else { throw fail("expected a name, got '\(current.describe)'") }
        index += 1
        return n
    }

    private mutating func expectBlockEnd() throws {
        guard case .blockEnd = current.kind else {
            throw fail("expected end of statement block, got '\(current.describe)'")
        }
        index += 1
    }

    // MARK: - statements

    private mutating func subparse(endNames: [String]) throws -> [JinjaStatement] {
        var body: [JinjaStatement] = []
        while true {
            let token = current
            switch token.kind {
            case let .data(text):
                index += 1
                body.append(.text(text))
            case .variableBegin:
                index += 1
                let expr = try parseTuple()
                guard case .variableEnd = current.kind else {
                    throw fail("expected end of print statement, got '\(current.describe)'")
                }
                index += 1
                body.append(.output(expr))
            case .blockBegin:
                index += 1
                if case let .name(n) = current.kind, endNames.contains(n) { return body }
                body.append(try parseStatement())
                try expectBlockEnd()
            case .eof:
                if !endNames.isEmpty {
                    throw fail("unexpected end of template: Jinja was looking for the following tags: "
                        + endNames.map { "'\($0)'" }.joined(separator: " or ")
                        + ". The innermost block that needs to be closed is the one opened before.")
                }
                return body
            default:
                throw fail("unexpected '\(token.describe)'")
            }
        }
    }

    /// Parses the rest of a tag (after `%}`) up to one of `endNames`, leaving the end tag's name current.
    private mutating func parseStatements(_ endNames: [String], dropNeedle: Bool = false) throws -> [JinjaStatement] {
        _ = skipOp(":")
        try expectBlockEnd()
        let body = try subparse(endNames: endNames)
        if case .eof = current.kind {
            throw fail("unexpected end of template, expected " + endNames.map { "'\($0)'" }.joined(separator: " or "))
        }
        if dropNeedle { index += 1 }
        return body
    }

    private mutating func parseStatement() throws -> JinjaStatement {
        let token = current
        guard case let .name(keyword) = token.kind else {
            throw fail("tag name expected")
        }
        switch keyword {
        case "if": return try parseIf()
        case "for": return try parseFor()
        case "set": return try parseSet()
        case "macro": return try parseMacro()
        case "call": return try parseCallBlock()
        case "filter":
            index += 1
            let filter = try parseFilter(nil, startInline: true)
            let body = try parseStatements(["endfilter"], dropNeedle: true)
            return .filterBlock(filter: filter, body: body)
        case "with":
            index += 1
            var assignments: [(JinjaStatement.Target, JinjaExpression)] = []
            while !(current.kind == .blockEnd) {
                if !assignments.isEmpty { try expectOp(",") }
                let target = try parseAssignTarget()
                try expectOp("=")
                assignments.append((target, try parseExpression()))
            }
            let body = try parseStatements(["endwith"], dropNeedle: true)
            return .with(assignments, body: body)
        case "generation":
            index += 1
            return .generation(try parseStatements(["endgeneration"], dropNeedle: true))
        case "break", "continue":
            guard loopDepth > 0 else { throw fail("'\(keyword)' outside a loop") }
            index += 1
            return keyword == "break" ? .breakLoop(offset: token.offset) : .continueLoop(offset: token.offset)
        case "raw":
            throw fail("malformed raw block")
        default:
            throw fail("Encountered unknown tag '\(keyword)'.")
        }
    }

    private mutating func parseIf() throws -> JinjaStatement {
        index += 1
        var branches: [(JinjaExpression, [JinjaStatement])] = []
        var otherwise: [JinjaStatement] = []
        while true {
            let test = try parseTuple(withCondExpr: false)
            let body = try parseStatements(["elif", "else", "endif"])
            branches.append((test, body))
            let end = advance()
            if end.isName("elif") { continue }
            if end.isName("else") { otherwise = try parseStatements(["endif"], dropNeedle: true) }
            break
        }
        return .ifElse(branches: branches, otherwise: otherwise)
    }

    private mutating func parseFor() throws -> JinjaStatement {
        let offset = advance().offset
        let target = try parseAssignTarget(extraEnd: ["in"])
        guard skipName("in") else { throw fail("expected 'in', got '\(current.describe)'") }
        let iterable = try parseTuple(withCondExpr: false, extraEnd: ["recursive"])
        var condition: JinjaExpression?
        if skipName("if") { condition = try parseExpression() }
        if current.isName("recursive") { throw fail("recursive loops are not supported") }
        loopDepth += 1
        let body = try parseStatements(["endfor", "else"])
        loopDepth -= 1
        var otherwise: [JinjaStatement] = []
        if advance().isName("else") {
            otherwise = try parseStatements(["endfor"], dropNeedle: true)
        }
        return .forLoop(.init(target: target, iterable: iterable, condition: condition, body: body,
                              otherwise: otherwise, offset: offset))
    }

    private mutating func parseSet() throws -> JinjaStatement {
        let offset = advance().offset
        let target = try parseAssignTarget(withNamespace: true)
        if skipOp("=") {
            return .set(target, try parseTuple(), offset: offset)
        }
        var filter: JinjaExpression?
        if current.isOp("|") { filter = try parseFilter(nil) }
        let body = try parseStatements(["endset"], dropNeedle: true)
        return .setBlock(target, filter: filter, body: body, offset: offset)
    }

    private mutating func parseSignature() throws -> [(name: String, defaultValue: JinjaExpression?)] {
        try expectOp("(")
        var params: [(name: String, defaultValue: JinjaExpression?)] = []
        while !current.isOp(")") {
            if !params.isEmpty { try expectOp(",") }
            if current.isOp(")") { break }
            let name = try expectName()
            if skipOp("=") {
                params.append((name, try parseExpression()))
            } else {
                if params.contains(where: { $0.defaultValue != nil }) {
                    throw fail("non-default argument follows default argument")
                }
                params.append((name, nil))
            }
        }
        try expectOp(")")
        return params
    }

    private mutating func parseMacro() throws -> JinjaStatement {
        index += 1
        let name = try expectName()
        let params = try parseSignature()
        let savedDepth = loopDepth
        loopDepth = 0
        let body = try parseStatements(["endmacro"], dropNeedle: true)
        loopDepth = savedDepth
        return .macro(.init(name: name, parameters: params, body: body))
    }

    private mutating func parseCallBlock() throws -> JinjaStatement {
        let offset = advance().offset
        let params = current.isOp("(") ? try parseSignature() : []
        let call = try parseExpression()
        guard case .call = call else { throw fail("expected call", at: offset) }
        let savedDepth = loopDepth
        loopDepth = 0
        let body = try parseStatements(["endcall"], dropNeedle: true)
        loopDepth = savedDepth
        return .callBlock(caller: .init(name: "caller", parameters: params, body: body), call: call, offset: offset)
    }

    private mutating func parseAssignTarget(extraEnd: [String] = [], withNamespace: Bool = false) throws -> JinjaStatement.Target {
        if withNamespace, case let .name(ns) = current.kind, peek().isOp(".") {
            let offset = current.offset
            index += 2
            let attr = try expectName()
            return .namespaceAttribute(ns, attr, offset: offset)
        }
        var targets: [JinjaStatement.Target] = []
        var isTuple = false
        while true {
            if !targets.isEmpty { try expectOp(",") }
            if isTupleEnd(extraEnd) { break }
            if skipOp("(") {
                let inner = try parseAssignTarget(extraEnd: extraEnd)
                try expectOp(")")
                targets.append(inner)
            } else {
                let name = try expectName()
                if ["true", "false", "True", "False", "none", "None"].contains(name) {
                    throw fail("can't assign to '\(name)'")
                }
                targets.append(.name(name))
            }
            if current.isOp(",") { isTuple = true } else { break }
        }
        if !isTuple, let only = targets.first { return only }
        if targets.isEmpty { throw fail("expected an assignment target, got '\(current.describe)'") }
        return .tuple(targets)
    }

    // MARK: - expressions

    private func isTupleEnd(_ extraEnd: [String]) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd: return true
        case .op(")"): return true
        case let .name(n): return extraEnd.contains(n)
        default: return false
        }
    }

    private mutating func parseTuple(withCondExpr: Bool = true, extraEnd: [String] = [],
                                     explicitParentheses: Bool = false) throws -> JinjaExpression {
        var items: [JinjaExpression] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(extraEnd) { break }
            items.append(withCondExpr ? try parseExpression() : try parseOr())
            if current.isOp(",") { isTuple = true } else { break }
        }
        if !isTuple {
            if let only = items.first { return only }
            if !explicitParentheses { throw fail("Expected an expression, got '\(current.describe)'") }
        }
        return .tuple(items)
    }

    private mutating func parseExpression() throws -> JinjaExpression {
        var expr = try parseOr()
        while skipName("if") {
            let test = try parseOr()
            var otherwise: JinjaExpression?
            if skipName("else") { otherwise = try parseExpression() }
            expr = .conditional(test: test, then: expr, otherwise: otherwise)
        }
        return expr
    }

    private mutating func parseOr() throws -> JinjaExpression {
        var left = try parseAnd()
        while skipName("or") { left = .or(left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws -> JinjaExpression {
        var left = try parseNot()
        while skipName("and") { left = .and(left, try parseNot()) }
        return left
    }

    private mutating func parseNot() throws -> JinjaExpression {
        if skipName("not") { return .not(try parseNot()) }
        return try parseCompare()
    }

    private mutating func parseCompare() throws -> JinjaExpression {
        let offset = current.offset
        let left = try parseMath1()
        var ops: [(JinjaExpression.CompareOperator, JinjaExpression)] = []
        while true {
            if case let .op(o) = current.kind, let op = JinjaExpression.CompareOperator(rawValue: o),
               op != .contains, op != .notContains {
                index += 1
                ops.append((op, try parseMath1()))
            } else if skipName("in") {
                ops.append((.contains, try parseMath1()))
            } else if current.isName("not") && peek().isName("in") {
                index += 2
                ops.append((.notContains, try parseMath1()))
            } else {
                break
            }
        }
        return ops.isEmpty ? left : .compare(left, ops, offset: offset)
    }

    private mutating func parseMath1() throws -> JinjaExpression {
        var left = try parseConcat()
        while case let .op(o) = current.kind, o == "+" || o == "-" {
            let offset = advance().offset
            left = .binary(o == "+" ? .add : .subtract, left, try parseConcat(), offset: offset)
        }
        return left
    }

    private mutating func parseConcat() throws -> JinjaExpression {
        var left = try parseMath2()
        while current.isOp("~") {
            let offset = advance().offset
            left = .binary(.concat, left, try parseMath2(), offset: offset)
        }
        return left
    }

    private mutating func parseMath2() throws -> JinjaExpression {
        var left = try parsePow()
        while case let .op(o) = current.kind, let op = JinjaExpression.BinaryOperator(rawValue: o),
              [.multiply, .divide, .floorDivide, .modulo].contains(op) {
            let offset = advance().offset
            left = .binary(op, left, try parsePow(), offset: offset)
        }
        return left
    }

    private mutating func parsePow() throws -> JinjaExpression {
        var left = try parseUnary()
        while current.isOp("**") {
            let offset = advance().offset
            left = .binary(.power, left, try parseUnary(), offset: offset)
        }
        return left
    }

    private mutating func parseUnary(withFilter: Bool = true) throws -> JinjaExpression {
        var node: JinjaExpression
        let offset = current.offset
        if skipOp("-") {
            node = .negate(try parseUnary(withFilter: false), offset: offset)
        } else if skipOp("+") {
            node = .plus(try parseUnary(withFilter: false), offset: offset)
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        if withFilter { node = try parseFilterExpression(node) }
        return node
    }

    private mutating func parsePrimary() throws -> JinjaExpression {
        let token = current
        switch token.kind {
        case let .name(n):
            index += 1
            switch n {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .name(n, offset: token.offset)
            }
        case let .string(s):
            index += 1
            var text = s
            while case let .string(more) = current.kind {
                text += more
                index += 1
            }
            return .literal(.string(text))
        case let .integer(i):
            index += 1
            return .literal(.int(i))
        case let .float(d):
            index += 1
            return .literal(.double(d))
        case .op("("):
            index += 1
            let expr = try parseTuple(explicitParentheses: true)
            try expectOp(")")
            return expr
        case .op("["):
            index += 1
            var items: [JinjaExpression] = []
            while !current.isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if current.isOp("]") { break }
                items.append(try parseExpression())
            }
            try expectOp("]")
            return .list(items)
        case .op("{"):
            index += 1
            var items: [(JinjaExpression, JinjaExpression)] = []
            while !current.isOp("}") {
                if !items.isEmpty { try expectOp(",") }
                if current.isOp("}") { break }
                let key = try parseExpression()
                try expectOp(":")
                items.append((key, try parseExpression()))
            }
            try expectOp("}")
            return .dict(items)
        default:
            throw fail("unexpected '\(token.describe)'")
        }
    }

    private mutating func parsePostfix(_ start: JinjaExpression) throws -> JinjaExpression {
        var node = start
        while true {
            if current.isOp(".") || current.isOp("[") {
                node = try parseSubscript(node)
            } else if current.isOp("(") {
                node = try parseCall(node)
            } else {
                return node
            }
        }
    }

    private mutating func parseFilterExpression(_ start: JinjaExpression) throws -> JinjaExpression {
        var node = start
        while true {
            if current.isOp("|") {
                node = try parseFilter(node)
            } else if current.isName("is") {
                node = try parseTest(node)
            } else if current.isOp("(") {
                node = try parseCall(node)
            } else {
                return node
            }
        }
    }

    private mutating func parseSubscript(_ base: JinjaExpression) throws -> JinjaExpression {
        let token = advance()
        if token.isOp(".") {
            let attr = advance()
            switch attr.kind {
            case let .name(n): return .getattr(base, n, offset: attr.offset)
            case let .integer(i): return .getitem(base, .literal(.int(i)), offset: attr.offset)
            default: throw fail("expected name or number", at: attr.offset)
            }
        }
        var args: [JinjaExpression] = []
        while !current.isOp("]") {
            if !args.isEmpty { try expectOp(",") }
            args.append(try parseSubscribed())
        }
        try expectOp("]")
        return .getitem(base, args.count == 1 ? args[0] : .tuple(args), offset: token.offset)
    }

    private mutating func parseSubscribed() throws -> JinjaExpression {
        var parts: [JinjaExpression?] = []
        if skipOp(":") {
            parts = [nil]
        } else {
            let node = try parseExpression()
            if !skipOp(":") { return node }
            parts = [node]
        }
        if current.isOp(":") {
            parts.append(nil)
        } else if !current.isOp("]") && !current.isOp(",") {
            parts.append(try parseExpression())
        } else {
            parts.append(nil)
        }
        if skipOp(":") {
            if !current.isOp("]") && !current.isOp(",") {
                parts.append(try parseExpression())
            } else {
                parts.append(nil)
            }
        } else {
            parts.append(nil)
        }
        return .slice(parts[0], parts[1], parts[2])
    }

    private mutating func parseCallArguments() throws -> JinjaExpression.Arguments {
        let open = current.offset
        try expectOp("(")
        var args = JinjaExpression.Arguments()
        var requireComma = false
        while !current.isOp(")") {
            if requireComma {
                try expectOp(",")
                if current.isOp(")") { break }
            }
            if skipOp("*") {
                args.splatPositional = try parseExpression()
            } else if skipOp("**") {
                args.splatKeyword = try parseExpression()
            } else if case let .name(key) = current.kind, peek().isOp("=") {
                index += 2
                args.keyword.append((key, try parseExpression()))
            } else {
                if !args.keyword.isEmpty || args.splatKeyword != nil || args.splatPositional != nil {
                    throw fail("invalid syntax for function call expression", at: open)
                }
                args.positional.append(try parseExpression())
            }
            requireComma = true
        }
        try expectOp(")")
        return args
    }

    private mutating func parseCall(_ callee: JinjaExpression) throws -> JinjaExpression {
        let offset = current.offset
        return .call(callee, try parseCallArguments(), offset: offset)
    }

    private mutating func parseFilter(_ base: JinjaExpression?, startInline: Bool = false) throws -> JinjaExpression {
        var node = base
        var inline = startInline
        while current.isOp("|") || inline {
            if !inline { index += 1 }
            let offset = current.offset
            var name = try expectName()
            while skipOp(".") { name += "." + (try expectName()) }
            let args = current.isOp("(") ? try parseCallArguments() : .init()
            node = .filter(node, name, args, offset: offset)
            inline = false
        }
        guard let node else { throw fail("expected a filter") }
        return node
    }

    private mutating func parseTest(_ base: JinjaExpression) throws -> JinjaExpression {
        index += 1
        let negated = skipName("not")
        let offset = current.offset
        var name = try expectName()
        while skipOp(".") { name += "." + (try expectName()) }
        var args = JinjaExpression.Arguments()
        if current.isOp("(") {
            args = try parseCallArguments()
        } else {
            var startsArgument = false
            switch current.kind {
            case .name, .string, .integer, .float, .op("("), .op("["), .op("{"): startsArgument = true
            default: break
            }
            if current.isName("else") || current.isName("or") || current.isName("and") { startsArgument = false }
            if startsArgument {
                if current.isName("is") { throw fail("You cannot chain multiple tests with is") }
                args.positional = [try parsePostfix(try parsePrimary())]
            }
        }
        let test = JinjaExpression.test(base, name, args, offset: offset)
        return negated ? .not(test) : test
    }

    // MARK: - validation

    /// jinja2 rejects unknown filters and tests when compiling, except inside an `if` (or a conditional
    /// expression), where it waits until the filter is actually used; this mirrors that rule.
    static func validate(_ body: [JinjaStatement], soft: Bool, sourceMap: JinjaSourceMap) throws {
        for statement in body {
            switch statement {
            case .text, .breakLoop, .continueLoop: break
            case let .output(e): try validate(e, soft: soft, sourceMap)
            case let .ifElse(branches, otherwise):
                for (test, body) in branches {
                    try validate(test, soft: true, sourceMap)
                    try validate(body, soft: true, sourceMap: sourceMap)
                }
                try validate(otherwise, soft: true, sourceMap: sourceMap)
            case let .forLoop(loop):
                try validate(loop.iterable, soft: soft, sourceMap)
                if let c = loop.condition { try validate(c, soft: false, sourceMap) }
                try validate(loop.body, soft: false, sourceMap: sourceMap)
                try validate(loop.otherwise, soft: false, sourceMap: sourceMap)
            case let .set(_, e, _): try validate(e, soft: soft, sourceMap)
            case let .setBlock(_, filter, body, _):
                if let filter { try validate(filter, soft: soft, sourceMap) }
                try validate(body, soft: false, sourceMap: sourceMap)
            case let .macro(m):
                for p in m.parameters { if let d = p.defaultValue { try validate(d, soft: false, sourceMap) } }
                try validate(m.body, soft: false, sourceMap: sourceMap)
            case let .callBlock(caller, call, _):
                try validate(call, soft: soft, sourceMap)
                try validate(caller.body, soft: false, sourceMap: sourceMap)
            case let .filterBlock(filter, body):
                try validate(filter, soft: soft, sourceMap)
                try validate(body, soft: false, sourceMap: sourceMap)
            case let .with(assignments, body):
                for (_, e) in assignments { try validate(e, soft: soft, sourceMap) }
                try validate(body, soft: false, sourceMap: sourceMap)
            case let .generation(body):
                try validate(body, soft: false, sourceMap: sourceMap)
            }
        }
    }

    private static func validate(_ e: JinjaExpression?, soft: Bool, _ sourceMap: JinjaSourceMap) throws {
        guard let e else { return }
        func args(_ a: JinjaExpression.Arguments) throws {
            for p in a.positional { try validate(p, soft: soft, sourceMap) }
            for (_, k) in a.keyword { try validate(k, soft: soft, sourceMap) }
            try validate(a.splatPositional, soft: soft, sourceMap)
            try validate(a.splatKeyword, soft: soft, sourceMap)
        }
        switch e {
        case .literal, .name: break
        case let .list(items), let .tuple(items): for i in items { try validate(i, soft: soft, sourceMap) }
        case let .dict(pairs):
            for (k, v) in pairs { try validate(k, soft: soft, sourceMap); try validate(v, soft: soft, sourceMap) }
        case let .getattr(b, _, _): try validate(b, soft: soft, sourceMap)
        case let .getitem(b, i, _): try validate(b, soft: soft, sourceMap); try validate(i, soft: soft, sourceMap)
        case let .slice(a, b, c):
            try validate(a, soft: soft, sourceMap); try validate(b, soft: soft, sourceMap); try validate(c, soft: soft, sourceMap)
        case let .negate(x, _), let .plus(x, _), let .not(x): try validate(x, soft: soft, sourceMap)
        case let .binary(_, a, b, _), let .and(a, b), let .or(a, b):
            try validate(a, soft: soft, sourceMap); try validate(b, soft: soft, sourceMap)
        case let .compare(a, ops, _):
            try validate(a, soft: soft, sourceMap)
            for (_, b) in ops { try validate(b, soft: soft, sourceMap) }
        case let .conditional(t, a, b):
            try validate(t, soft: true, sourceMap); try validate(a, soft: true, sourceMap); try validate(b, soft: true, sourceMap)
        case let .call(c, a, _): try validate(c, soft: soft, sourceMap); try args(a)
        case let .filter(b, name, a, offset):
            if !soft && !JinjaFilters.names.contains(name) {
                let (line, column) = sourceMap.location(of: offset)
                throw JinjaError.unknownFilter(name: name, line: line, column: column)
            }
            try validate(b, soft: soft, sourceMap); try args(a)
        case let .test(b, name, a, offset):
            if !soft && !JinjaTests.names.contains(name) {
                let (line, column) = sourceMap.location(of: offset)
                throw JinjaError.unknownTest(name: name, line: line, column: column)
            }
            try validate(b, soft: soft, sourceMap); try args(a)
        }
    }
}
