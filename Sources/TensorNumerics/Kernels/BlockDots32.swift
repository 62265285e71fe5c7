// Block kernels of the formats with 32 values per block (see `QuantizedBlockDot`).

/// The 32 nibbles of 16 bytes in value order: low nibbles are values 0..<16, high nibbles 16..<32.
@inline(__always) fileprivate func nibbles(_ w: UnsafeRawPointer, _ offset: Int) -> (SIMD16<UInt8>, SIMD16<UInt8>) {
    let v = Lanes.u8(w, offset)
    return (v & 15, v &>> 4)
}

/// Q8_0 weights × q8_0 activations: d_w · d_x · Σ w·x.
enum Q8_0Dot: QuantizedBlockDot {
    static var blockElements: Int { 32 }
    static var blockBytes: Int { 34 }
    @inline(__always) static func weights(_ w: UnsafeRawPointer, _ j: Int) -> (SIMD16<Int16>, SIMD16<Int16>) {
        (Lanes.i16(Lanes.s8(w, 2)), Lanes.i16(Lanes.s8(w, 18)))
    }
    @inline(__always) static func scale(_ w: UnsafeRawPointer) -> Float { Lanes.f16(w, 0) }
}

/// Q4_0 weights × q8_0 activations: d_w · d_x · Σ (q − 8)·x.
enum Q4_0Dot: QuantizedBlockDot {
    static var blockElements: Int { 32 }
    static var blockBytes: Int { 18 }
    @inline(__always) static func weights(_ w: UnsafeRawPointer, _ j: Int) -> (SIMD16<Int16>, SIMD16<Int16>) {
        let (low, high) = nibbles(w, 2)
        return (Lanes.i16(Lanes.signed(low) &- 8), Lanes.i16(Lanes.signed(high) &- 8))
    }
    @inline(__always) static func scale(_ w: UnsafeRawPointer) -> Float { Lanes.f16(w, 0) }
}

/// Q4_1 weights × q8_1 activations: d_w · d_x · Σ q·x + m_w · s_x.
enum Q4_1Dot: QuantizedBlockDot {
    static var blockElements: Int { 32 }
    static var blockBytes: Int { 20 }
    @inline(__always) static func weights(_ w: UnsafeRawPointer, _ j: Int) -> (SIMD16<Int16>, SIMD16<Int16>) {
        let (low, high) = nibbles(w, 4)
        return (Lanes.i16(low), Lanes.i16(high))
    }
    @inline(__always) static func scale(_ w: UnsafeRawPointer) -> Float { Lanes.f16(w, 0) }
    @inline(__always) static func offset(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        Lanes.f16(w, 2) * x.floatSums[b]
    }
    @inline(__always) static func offsetFactors(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> (Float, Float) {
        (Lanes.f16(w, 2), x.floatSums[b])
    }
}

/// Q5_0 weights × q8_0 activations: d_w · d_x · Σ (q − 16)·x, the fifth bits in a 32-bit mask.
enum Q5_0Dot: QuantizedBlockDot {
    static var blockElements: Int { 32 }
    static var blockBytes: Int { 22 }
    @inline(__always) static func weights(_ w: UnsafeRawPointer, _ j: Int) -> (SIMD16<Int16>, SIMD16<Int16>) {
        let qh = UInt32(littleEndian: w.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        let (low, high) = nibbles(w, 6)
        return (Lanes.i16(Lanes.signed(low | Lanes.fifthBits(qh)) &- 16),
                Lanes.i16(Lanes.signed(high | Lanes.fifthBits(qh >> 16)) &- 16))
    }
    @inline(__always) static func scale(_ w: UnsafeRawPointer) -> Float { Lanes.f16(w, 0) }
}

/// Q5_1 weights × q8_1 activations: d_w · d_x · Σ q·x + m_w · s_x.
enum Q5_1Dot: QuantizedBlockDot {
    static var blockElements: Int { 32 }
    static var blockBytes: Int { 24 }
    @inline(__always) static func weights(_ w: UnsafeRawPointer, _ j: Int) -> (SIMD16<Int16>, SIMD16<Int16>) {
        let qh = UInt32(littleEndian: w.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let (low, high) = nibbles(w, 8)
        return (Lanes.i16(low | Lanes.fifthBits(qh)), Lanes.i16(high | Lanes.fifthBits(qh >> 16)))
    }
    @inline(__always) static func scale(_ w: UnsafeRawPointer) -> Float { Lanes.f16(w, 0) }
    @inline(__always) static func offset(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        Lanes.f16(w, 2) * x.floatSums[b]
    }
    @inline(__always) static func offsetFactors(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> (Float, Float) {
        (Lanes.f16(w, 2), x.floatSums[b])
    }
}
