/// Resident memory of a decoding process against what its model needs.
public struct MemoryFootprint: Sendable {
    /// Resident bytes of the whole process.
    public var resident: Int
    /// Bytes of the weight matrices.
    public var weights: Int
    /// Bytes of the KV cache.
    public var kvCache: Int

    /// A footprint.
    public init(resident: Int, weights: Int, kvCache: Int) {
        self.resident = resident
        self.weights = weights
        self.kvCache = kvCache
    }

    /// Resident memory beyond weights and cache, as a fraction of them.
    public var overhead: Double {
        let needed = weights + kvCache
        return needed > 0 ? Double(resident - needed) / Double(needed) : 0
    }
}
