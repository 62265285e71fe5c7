/// The keys and values of every past position of every sequence, per layer, stored as f16.
///
/// f16 halves the cache's memory and the bytes attention reads per token, and is what llama.cpp
/// stores by default, so the attention numerics match it. A sequence lives in a slot; its storage grows by doubling as it lengthens, up to the context
/// limit, so a short chat does not reserve the model's whole context up front.
public final class KVCache {
    /// One sequence's keys and values.
    final class Slot {
        var length = 0
        var capacity = 0
        var keys: [UnsafeMutablePointer<Float16>] = []
        var values: [UnsafeMutablePointer<Float16>] = []

        deinit {
            keys.forEach { $0.deallocate() }
            values.forEach { $0.deallocate() }
        }
    }

    /// Transformer blocks.
    public let layerCount: Int
    /// Floats per position per layer (key/value heads × head size).
    public let width: Int
    /// The most positions a sequence may hold.
    public let contextLimit: Int
    private(set) var slots: [Slot]

    /// A cache for `slotCount` sequences of up to `contextLimit` positions each.
    public init(layerCount: Int, width: Int, contextLimit: Int, slotCount: Int = 1) {
        self.layerCount = layerCount
        self.width = width
        self.contextLimit = contextLimit
        slots = (0..<slotCount).map { _ in Slot() }
    }

    /// The number of sequence slots.
    public var slotCount: Int { slots.count }

    /// Positions stored for the sequence in `slot`.
    public func length(ofSlot slot: Int) -> Int { slots[slot].length }

    /// Forgets the positions of `slot` from `length` on (0 empties it), keeping its storage.
    public func truncate(slot: Int, to length: Int) {
        slots[slot].length = min(slots[slot].length, max(0, length))
    }

    /// Bytes held by all slots.
    public var bytesAllocated: Int {
        slots.reduce(0) { $0 + $1.capacity * width * layerCount * 2 * MemoryLayout<Float16>.size }
    }

    /// Makes room for `positions` positions in `slot`, or throws when that exceeds the context.
    func reserve(slot index: Int, positions: Int) throws {
        guard positions <= contextLimit else { throw ModelError.contextOverflow(needed: positions, limit: contextLimit) }
        let slot = slots[index]
        guard positions > slot.capacity else { return }
        let capacity = min(contextLimit, max(positions, max(256, slot.capacity * 2)))
        for layer in 0..<layerCount {
            let k = UnsafeMutablePointer<Float16>.allocate(capacity: capacity * width)
            let v = UnsafeMutablePointer<Float16>.allocate(capacity: capacity * width)
            if slot.capacity > 0 {
                k.update(from: slot.keys[layer], count: slot.length * width)
                v.update(from: slot.values[layer], count: slot.length * width)
                slot.keys[layer].deallocate()
                slot.values[layer].deallocate()
                slot.keys[layer] = k
                slot.values[layer] = v
            } else {
                slot.keys.append(k)
                slot.values.append(v)
            }
        }
        slot.capacity = capacity
    }
}
