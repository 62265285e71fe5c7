import Foundation

/// Renders a parsed template: walks the statement tree with jinja2's scoping and Python's value semantics.
///
/// One interpreter serves one render; it keeps the offset of the node being evaluated so that failures
/// from filters and operators can name their line and column.
final class JinjaInterpreter {
    private let sourceMap: JinjaSourceMap
    private let now: Date
    private var offset = 0

    /// Global functions every template can call unless the context shadows them.
    static let globals: Set<String> = ["range", "namespace", "dict", "raise_exception", "strftime_now", "joiner", "cycler", "lipsum"]

    init(sourceMap: JinjaSourceMap, now: Date) {
        self.sourceMap = sourceMap
        self.now = now
    }

    private enum Flow { case normal, breakLoop, continueLoop }

    func render(_ body: [JinjaStatement], context: [String: JinjaValue]) throws -> String {
        let root = JinjaScope(parent: nil, variables: context)
        var out = ""
        do {
            _ = try execute(body, root, &out)
        } catch let failure as JinjaFailure {
            throw error(failure)
        }
        return out
    }

    private func error(_ failure: JinjaFailure) -> JinjaError {
        let (line, column) = sourceMap.location(of: offset)
        switch failure {
        case let .undefined(m): return .undefined(message: m, line: line, column: column)
        case let .type(m): return .type(message: m, line: line, column: column)
        case let .runtime(m): return .runtime(message: m, line: line, column: column)
        case let .security(m): return .security(message: m, line: line, column: column)
        }
    }

    // MARK: - statements

    private func execute(_ body: [JinjaStatement], _ scope: JinjaScope, _ out: inout String) throws -> Flow {
        for statement in body {
            switch statement {
            case let .text(t):
                out += t
            case let .output(e):
                out += try evaluate(e, scope).pythonString
            case let .ifElse(branches, otherwise):
                var taken: [JinjaStatement] = otherwise
                for (test, branch) in branches where try evaluate(test, scope).isTruthy {
                    taken = branch
                    break
                }
                let flow = try execute(taken, scope, &out)
                if flow != .normal { return flow }
            case let .forLoop(loop):
                try runLoop(loop, scope, &out)
            case let .set(target, e, at):
                let value = try evaluate(e, scope)
                offset = at
                try assign(target, value, scope)
            case let .setBlock(target, filter, body, at):
                var text = ""
                _ = try execute(body, JinjaScope(parent: scope), &text)
                var value = JinjaValue.string(text)
                if let filter { value = try applyFilterChain(filter, to: value, scope) }
                offset = at
                try assign(target, value, scope)
            case let .macro(m):
                scope.set(m.name, .callable(.init(kind: .macro(JinjaMacroClosure(definition: m, scope: scope)))))
            case let .callBlock(caller, call, _):
                guard case let .call(callee, args, at) = call else { continue }
                let closure = JinjaMacroClosure(definition: caller, scope: scope)
                out += try evaluateCall(callee, args, at, scope, caller: closure).pythonString
            case let .filterBlock(filter, body):
                var text = ""
                _ = try execute(body, JinjaScope(parent: scope), &text)
                out += try applyFilterChain(filter, to: .string(text), scope).pythonString
            case let .with(assignments, body):
                let inner = JinjaScope(parent: scope)
                for (target, e) in assignments { try assign(target, try evaluate(e, scope), inner) }
                let flow = try execute(body, inner, &out)
                if flow != .normal { return flow }
            case let .generation(body):
                let flow = try execute(body, JinjaScope(parent: scope), &out)
                if flow != .normal { return flow }
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            }
        }
        return .normal
    }

    private func runLoop(_ loop: JinjaStatement.ForLoop, _ scope: JinjaScope, _ out: inout String) throws {
        let iterable = try evaluate(loop.iterable, scope)
        offset = loop.offset
        var items = try JinjaOperators.iterate(iterable)
        if let condition = loop.condition {
            items = try items.filter { item in
                let s = JinjaScope(parent: scope)
                try assign(loop.target, item, s)
                return try evaluate(condition, s).isTruthy
            }
        }
        if items.isEmpty {
            _ = try execute(loop.otherwise, JinjaScope(parent: scope), &out)
            return
        }
        let count = items.count
        for (i, item) in items.enumerated() {
            let s = JinjaScope(parent: scope)
            try assign(loop.target, item, s)
            var info = JinjaObject()
            info["index"] = .int(i + 1)
            info["index0"] = .int(i)
            info["revindex"] = .int(count - i)
            info["revindex0"] = .int(count - i - 1)
            info["first"] = .bool(i == 0)
            info["last"] = .bool(i == count - 1)
            info["length"] = .int(count)
            info["previtem"] = i > 0 ? items[i - 1] : .undefined
            info["nextitem"] = i + 1 < count ? items[i + 1] : .undefined
            info["depth"] = .int(1)
            info["depth0"] = .int(0)
            info["cycle"] = .callable(.init(kind: .cycle(index: i)))
            s.set("loop", .object(info))
            if try execute(loop.body, s, &out) == .breakLoop { break }
        }
    }

    private func assign(_ target: JinjaStatement.Target, _ value: JinjaValue, _ scope: JinjaScope) throws {
        switch target {
        case let .name(n):
            scope.set(n, value)
        case let .tuple(targets):
            let items: [JinjaValue]
            switch value {
            case let .array(a), let .generator(a): items = a
            case .string, .markup, .object: items = try JinjaOperators.iterate(value)
            default: throw JinjaFailure.type("cannot unpack non-iterable \(value.typeName) object")
            }
            if items.count != targets.count {
                throw JinjaFailure.runtime(items.count > targets.count
                    ? "too many values to unpack (expected \(targets.count))"
                    : "not enough values to unpack (expected \(targets.count), got \(items.count))")
            }
            for (t, v) in zip(targets, items) { try assign(t, v, scope) }
        case let .namespaceAttribute(name, attribute, at):
            offset = at
            guard case let .namespace(ns)? = scope.lookup(name) else {
                throw JinjaFailure.runtime("cannot assign attribute on non-namespace object")
            }
            ns.attributes[attribute] = value
        }
    }

    // MARK: - expressions

    private func evaluate(_ expression: JinjaExpression, _ scope: JinjaScope) throws -> JinjaValue {
        switch expression {
        case let .literal(v):
            return v
        case let .name(n, _):
            if let v = scope.lookup(n) { return v }
            if JinjaInterpreter.globals.contains(n) { return .callable(.init(kind: .global(n))) }
            return .undefined
        case let .list(items), let .tuple(items):
            return .array(try items.map { try evaluate($0, scope) })
        case let .dict(pairs):
            var o = JinjaObject()
            for (k, v) in pairs {
                let key = try evaluate(k, scope)
                guard let hashable = JinjaObject.Key(key) else {
                    throw JinjaFailure.type("unhashable type: '\(key.typeName)'")
                }
                o[hashable] = try evaluate(v, scope)
            }
            return .object(o)
        case let .getattr(base, attribute, at):
            let value = try evaluate(base, scope)
            offset = at
            if value.isUndefined { throw undefinedFailure(base) }
            return JinjaOperators.attribute(value, attribute)
        case let .getitem(base, index, at):
            let value = try evaluate(base, scope)
            if case let .slice(a, b, c) = index {
                let start = try a.map { try evaluate($0, scope) }
                let stop = try b.map { try evaluate($0, scope) }
                let step = try c.map { try evaluate($0, scope) }
                offset = at
                if value.isUndefined { throw undefinedFailure(base) }
                return try JinjaOperators.slice(value, start, stop, step)
            }
            let key = try evaluate(index, scope)
            offset = at
            if value.isUndefined { throw undefinedFailure(base) }
            return JinjaOperators.item(value, key)
        case .slice:
            throw JinjaFailure.runtime("a slice is only valid inside []")
        case let .negate(e, at), let .plus(e, at):
            let v = try evaluate(e, scope)
            offset = at
            let negate: Bool
            if case .negate = expression { negate = true } else { negate = false }
            switch v.numericValue {
            case let .int(i)?: return .int(negate ? -i : i)
            case let .double(d)?: return .double(negate ? -d : d)
            default:
                if v.isUndefined { throw undefinedFailure(e) }
                throw JinjaFailure.type("bad operand type for unary \(negate ? "-" : "+"): '\(v.typeName)'")
            }
        case let .not(e):
            return .bool(!(try evaluate(e, scope).isTruthy))
        case let .binary(op, a, b, at):
            let l = try evaluate(a, scope)
            let r = try evaluate(b, scope)
            offset = at
            if op != .concat {
                if l.isUndefined { throw undefinedFailure(a) }
                if r.isUndefined { throw undefinedFailure(b) }
            }
            return try JinjaOperators.binary(op, l, r)
        case let .and(a, b):
            let l = try evaluate(a, scope)
            return l.isTruthy ? try evaluate(b, scope) : l
        case let .or(a, b):
            let l = try evaluate(a, scope)
            return l.isTruthy ? l : try evaluate(b, scope)
        case let .compare(first, ops, at):
            var left = try evaluate(first, scope)
            for (op, e) in ops {
                let right = try evaluate(e, scope)
                offset = at
                if !(try JinjaOperators.compare(op, left, right)) { return .bool(false) }
                left = right
            }
            return .bool(true)
        case let .conditional(test, then, otherwise):
            if try evaluate(test, scope).isTruthy { return try evaluate(then, scope) }
            return try otherwise.map { try evaluate($0, scope) } ?? .undefined
        case let .call(callee, args, at):
            return try evaluateCall(callee, args, at, scope, caller: nil)
        case let .filter(base, name, args, at):
            let value = try base.map { try evaluate($0, scope) } ?? .undefined
            return try applyFilter(name, value, args, at, scope)
        case let .test(base, name, args, at):
            let value = try evaluate(base, scope)
            let a = try evaluateArguments(args, scope)
            offset = at
            guard JinjaTests.names.contains(name) else {
                let (line, column) = sourceMap.location(of: at)
                throw JinjaError.unknownTest(name: name, line: line, column: column)
            }
            return .bool(try JinjaTests.apply(name, value, a))
        }
    }

    private func undefinedFailure(_ e: JinjaExpression) -> JinjaFailure {
        .undefined("'\(e.describe)' is undefined")
    }

    private func applyFilter(_ name: String, _ value: JinjaValue, _ args: JinjaExpression.Arguments, _ at: Int,
                             _ scope: JinjaScope) throws -> JinjaValue {
        let a = try evaluateArguments(args, scope)
        offset = at
        guard JinjaFilters.names.contains(name) else {
            let (line, column) = sourceMap.location(of: at)
            throw JinjaError.unknownFilter(name: name, line: line, column: column)
        }
        return try JinjaFilters.apply(name, value, a)
    }

    /// Applies a filter chain parsed without a base (`{% filter f|g %}`, `{% set x | f %}`) to `value`.
    private func applyFilterChain(_ chain: JinjaExpression, to value: JinjaValue, _ scope: JinjaScope) throws -> JinjaValue {
        guard case let .filter(base, name, args, at) = chain else { return try evaluate(chain, scope) }
        let input = try base.map { try applyFilterChain($0, to: value, scope) } ?? value
        return try applyFilter(name, input, args, at, scope)
    }

    private func evaluateArguments(_ args: JinjaExpression.Arguments, _ scope: JinjaScope) throws -> JinjaArguments {
        var result = JinjaArguments()
        result.positional = try args.positional.map { try evaluate($0, scope) }
        result.keyword = try args.keyword.map { ($0.0, try evaluate($0.1, scope)) }
        if let splat = args.splatPositional {
            result.positional += try JinjaOperators.iterate(try evaluate(splat, scope))
        }
        if let splat = args.splatKeyword {
            guard case let .object(o) = try evaluate(splat, scope) else {
                throw JinjaFailure.type("argument after ** must be a mapping")
            }
            result.keyword += o.map { ($0.key, $0.value) }
        }
        return result
    }

    private func evaluateCall(_ callee: JinjaExpression, _ args: JinjaExpression.Arguments, _ at: Int,
                              _ scope: JinjaScope, caller: JinjaMacroClosure?) throws -> JinjaValue {
        let function: JinjaValue
        if case let .getattr(baseExpression, attribute, attributeOffset) = callee {
            let base = try evaluate(baseExpression, scope)
            offset = attributeOffset
            if base.isUndefined { throw undefinedFailure(baseExpression) }
            if JinjaOperators.isUnsafe(base, attribute) {
                throw JinjaFailure.security("access to attribute '\(attribute)' of '\(base.typeName)' object is unsafe.")
            }
            function = JinjaOperators.attribute(base, attribute)
        } else {
            function = try evaluate(callee, scope)
        }
        var a = try evaluateArguments(args, scope)
        offset = at
        switch function {
        case let .callable(c):
            if let caller { a.keyword.append(("caller", .callable(.init(kind: .macro(caller))))) }
            return try call(c, a)
        case .undefined:
            throw undefinedFailure(callee)
        default:
            throw JinjaFailure.type("'\(function.typeName)' object is not callable")
        }
    }

    private func call(_ function: JinjaCallable, _ args: JinjaArguments) throws -> JinjaValue {
        switch function.kind {
        case let .global(name): return try callGlobal(name, args)
        case let .method(receiver, name): return try JinjaMethods.call(receiver, name, args)
        case let .cycle(index):
            guard !args.positional.isEmpty else { throw JinjaFailure.type("no items for cycling given") }
            return args.positional[index % args.positional.count]
        case let .macro(closure): return try callMacro(closure, args)
        }
    }

    private func callMacro(_ closure: JinjaMacroClosure, _ args: JinjaArguments) throws -> JinjaValue {
        let definition = closure.definition
        let scope = JinjaScope(parent: closure.scope)
        var keywords = args.keyword
        for (i, parameter) in definition.parameters.enumerated() {
            if i < args.positional.count {
                scope.set(parameter.name, args.positional[i])
            } else if let k = keywords.firstIndex(where: { $0.0 == parameter.name }) {
                scope.set(parameter.name, keywords[k].1)
                keywords.remove(at: k)
            } else if let d = parameter.defaultValue {
                scope.set(parameter.name, try evaluate(d, scope))
            } else {
                scope.set(parameter.name, .undefined)
            }
        }
        var extra = JinjaObject()
        for (k, v) in keywords {
            if k == "caller" { scope.set("caller", v) } else { extra[k] = v }
        }
        scope.set("varargs", .array(Array(args.positional.dropFirst(definition.parameters.count))))
        scope.set("kwargs", .object(extra))
        var out = ""
        _ = try execute(definition.body, scope, &out)
        return .string(out)
    }

    private func callGlobal(_ name: String, _ args: JinjaArguments) throws -> JinjaValue {
        switch name {
        case "range":
            guard args.keyword.isEmpty, (1...3).contains(args.positional.count) else {
                throw JinjaFailure.type("range expected 1 to 3 integer arguments")
            }
            let ints = try args.positional.map { v -> Int in
                guard let i = JinjaOperators.intIndex(v) else {
                    throw JinjaFailure.type("'\(v.typeName)' object cannot be interpreted as an integer")
                }
                return i
            }
            let (start, stop, step) = ints.count == 1 ? (0, ints[0], 1) : (ints[0], ints[1], ints.count == 3 ? ints[2] : 1)
            guard step != 0 else { throw JinjaFailure.runtime("range() arg 3 must not be zero") }
            let values = Array(stride(from: start, to: stop, by: step))
            // The sandbox caps ranges (MAX_RANGE) so that a template cannot exhaust memory.
            guard values.count <= 100_000 else { throw JinjaFailure.security("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).") }
            return .array(values.map { .int($0) })
        case "namespace", "dict":
            var attributes = JinjaObject()
            for p in args.positional {
                guard case let .object(o) = p else { throw JinjaFailure.type("\(name)() positional argument must be a mapping") }
                for (k, v) in o { attributes[k] = v }
            }
            for (k, v) in args.keyword { attributes[k] = v }
            return name == "dict" ? .object(attributes) : .namespace(JinjaNamespace(attributes))
        case "raise_exception":
            let a = try args.bind(name, [("message", nil)])
            throw JinjaError.raised(message: a[0].pythonString)
        case "strftime_now":
            let a = try args.bind(name, [("format", nil)])
            return .string(JinjaInterpreter.strftime(a[0].pythonString, now))
        default:
            throw JinjaFailure.runtime("the global '\(name)' is not supported by this interpreter")
        }
    }

    /// C `strftime` of `date` in the local time zone, which is what Python's `datetime.now().strftime` gives.
    static func strftime(_ format: String, _ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&t, &parts)
        var buffer = [Int8](repeating: 0, count: 512)
        let n = Foundation.strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
