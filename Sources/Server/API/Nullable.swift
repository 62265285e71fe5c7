/// A value written as JSON `null` when absent, where OpenAI's shapes keep the key
/// (`finish_reason`, `logprobs`); plain optionals leave the key out.
struct Nullable<Value: Encodable & Sendable>: Encodable, Sendable {
    var value: Value?

    init(_ value: Value?) {
        self.value = value
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let value { try c.encode(value) } else { try c.encodeNil() }
    }
}
