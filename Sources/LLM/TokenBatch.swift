/// Tokens to run through the model in one forward pass, each tagged with its sequence and
/// position, so that prompts and the next tokens of many sequences can share one pass.
public struct TokenBatch: Sendable {
    /// The token ids.
    public private(set) var tokens: [Int32] = []
    /// Each token's position in its sequence.
    public private(set) var positions: [Int] = []
    /// Each token's KV-cache slot (its sequence).
    public private(set) var slots: [Int] = []
    /// Whether the pass returns logits for each token.
    public private(set) var wantsLogits: [Bool] = []

    /// An empty batch with room for `capacity` tokens.
    public init(capacity: Int = 0) {
        tokens.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
        slots.reserveCapacity(capacity)
        wantsLogits.reserveCapacity(capacity)
    }

    /// The number of tokens.
    public var count: Int { tokens.count }
    /// How many tokens want logits (the rows of the logits output).
    public var logitRows: Int { wantsLogits.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Appends one token.
    public mutating func append(_ token: Int32, position: Int, slot: Int = 0, wantsLogits: Bool) {
        tokens.append(token)
        positions.append(position)
        slots.append(slot)
        self.wantsLogits.append(wantsLogits)
    }

    /// Appends a run of consecutive tokens of one sequence; only the last wants logits unless `allLogits`.
    public mutating func append(_ run: some Collection<Int32>, startPosition: Int, slot: Int = 0, allLogits: Bool = false) {
        for (i, token) in run.enumerated() {
            append(token, position: startPosition + i, slot: slot, wantsLogits: allLogits || i == run.count - 1)
        }
    }

    /// Empties the batch, keeping its storage.
    public mutating func removeAll() {
        tokens.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        wantsLogits.removeAll(keepingCapacity: true)
    }
}
