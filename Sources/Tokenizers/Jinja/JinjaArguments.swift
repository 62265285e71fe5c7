/// Evaluated call arguments, bound to a Python-style signature by `bind`.
struct JinjaArguments: Sendable {
    var positional: [JinjaValue] = []
    var keyword: [(String, JinjaValue)] = []

    /// Matches the arguments to `parameters` (name and default; a nil default means required), as Python
    /// does for `f(a, b=1)`, and returns one value per parameter.
    func bind(_ function: String, _ parameters: [(String, JinjaValue?)]) throws -> [JinjaValue] {
        if positional.count > parameters.count {
            throw JinjaFailure.type("\(function)() takes at most \(parameters.count) argument(s) (\(positional.count) given)")
        }
        var result = [JinjaValue?](repeating: nil, count: parameters.count)
        for (i, v) in positional.enumerated() { result[i] = v }
        for (key, value) in keyword {
            guard let i = parameters.firstIndex(where: { $0.0 == key }) else {
                throw JinjaFailure.type("\(function)() got an unexpected keyword argument '\(key)'")
            }
            if result[i] != nil { throw JinjaFailure.type("\(function)() got multiple values for argument '\(key)'") }
            result[i] = value
        }
        return try result.enumerated().map { i, v in
            if let v { return v }
            if let d = parameters[i].1 { return d }
            throw JinjaFailure.type("\(function)() missing required argument '\(parameters[i].0)'")
        }
    }
}
