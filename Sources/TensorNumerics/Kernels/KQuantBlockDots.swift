// Block kernels of the K-quants, 256 values per block in sub-blocks of 32 or 16 (see `QuantizedBlockDot`).

/// The eight 6-bit (scale, min) pairs of a Q4_K/Q5_K block, as ggml's `get_scale_min_k4`.
@inline(__always) fileprivate func kScaleMin(_ s: UnsafeRawPointer, _ j: Int) -> (Int32, Int32) {
    @inline(__always) func byte(_ i: Int) -> Int32 { Lanes.byte(s, i) }
    if j < 4 { return (byte(j) & 63, byte(j + 4) & 63) }
    return ((byte(j + 4) & 15) | ((byte(j - 4) >> 6) << 4), (byte(j + 4) >> 4) | ((byte(j) >> 6) << 4))
}

/// −d_x · dmin_w · Σ_j m_j · (activation sum over sub-block j) for a Q4_K/Q5_K block.
@inline(__always) fileprivate func kMinimumTerm(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
    let bsums = x.blockSums + 16 * b
    var sum: Int32 = 0
    for j in 0..<8 {
        sum &+= kScaleMin(w + 4, j).1 &* (Int32(bsums[2 * j]) &+ Int32(bsums[2 * j + 1]))
    }
    return -(x.scales[b] * Lanes.f16(w, 2)) * Float(sum)
}

/// Q4_K weights × q8_K activations: d_x·d_w · Σ_j sc_j Σ q·x − d_x·dmin_w · Σ_j m_j · (sums of x over sub-block j).
/// Sub-block j (values 32j..<32j+32) is the low (even j) or high (odd j) nibbles of bytes 32⌊j/2⌋..<+32.
enum Q4_KDot: QuantizedBlockDot {
    static var blockElements: Int { 256 }
    static var blockBytes: Int { 144 }
    static var hasSubScales: Bool { true }
    @inline(__always) static func weights(_ w: UnsafeRawPointer, _ j: Int) -> (SIMD16<Int16>, SIMD16<Int16>) {
        let shift = UInt8((j & 1) * 4), offset = 16 + 32 * (j >> 1)
        return (Lanes.i16((Lanes.u8(w, offset) &>> shift) & 15), Lanes.i16((Lanes.u8(w, offset + 16) &>> shift) & 15))
    }
    @inline(__always) static func subScales(_ w: UnsafeRawPointer, _ j: Int) -> (Int32, Int32) {
        let sc = kScaleMin(w + 4, j).0
        return (sc, sc)
    }
    @inline(__always) static func scale(_ w: UnsafeRawPointer) -> Float { Lanes.f16(w, 0) }
    @inline(__always) static func offset(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        kMinimumTerm(w, x, b)
    }
}

/// Q5_K weights × q8_K activations: as Q4_K with a fifth bit per value, bit j of `qh[l]` for value 32j + l.
enum Q5_KDot: QuantizedBlockDot {
    static var blockElements: Int { 256 }
    static var blockBytes: Int { 176 }
    static var hasSubScales: Bool { true }
    @inline(__always) static func weights(_ w: UnsafeRawPointer, _ j: Int) -> (SIMD16<Int16>, SIMD16<Int16>) {
        let shift = UInt8((j & 1) * 4), offset = 48 + 32 * (j >> 1), bit = UInt8(j)
        let low0 = (Lanes.u8(w, offset) &>> shift) & 15, low1 = (Lanes.u8(w, offset + 16) &>> shift) & 15
        let high0 = ((Lanes.u8(w, 16) &>> bit) & 1) &<< 4, high1 = ((Lanes.u8(w, 32) &>> bit) & 1) &<< 4
        return (Lanes.i16(low0 | high0), Lanes.i16(low1 | high1))
    }
    @inline(__always) static func subScales(_ w: UnsafeRawPointer, _ j: Int) -> (Int32, Int32) {
        let sc = kScaleMin(w + 4, j).0
        return (sc, sc)
    }
    @inline(__always) static func scale(_ w: UnsafeRawPointer) -> Float { Lanes.f16(w, 0) }
    @inline(__always) static func offset(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        kMinimumTerm(w, x, b)
    }
}

/// Q6_K weights × q8_K activations: d_x·d_w · Σ_k sc_k Σ (q − 32)·x over sixteen sub-blocks of 16.
/// Values 32j..<32j+32 (j = 4n + p) are the low (p < 2) or high nibbles of ql[64n + 32(p & 1)..<+32], with
/// bits 2p, 2p+1 of qh[32n..<32n+32] on top; scales sc[2j] and sc[2j+1] cover their two halves.
enum Q6_KDot: QuantizedBlockDot {
    static var blockElements: Int { 256 }
    static var blockBytes: Int { 210 }
    static var hasSubScales: Bool { true }
    static var halvesScaledApart: Bool { true }
    @inline(__always) static func weights(_ w: UnsafeRawPointer, _ j: Int) -> (SIMD16<Int16>, SIMD16<Int16>) {
        let n = j >> 2, p = j & 3
        let lowOffset = 64 * n + (p & 1) * 32, nibbleShift = UInt8((p >> 1) * 4), highShift = UInt8(2 * p)
        let low0 = (Lanes.u8(w, lowOffset) &>> nibbleShift) & 15, low1 = (Lanes.u8(w, lowOffset + 16) &>> nibbleShift) & 15
        let high0 = ((Lanes.u8(w, 128 + 32 * n) &>> highShift) & 3) &<< 4
        let high1 = ((Lanes.u8(w, 144 + 32 * n) &>> highShift) & 3) &<< 4
        return (Lanes.i16(Lanes.signed(low0 | high0) &- 32), Lanes.i16(Lanes.signed(low1 | high1) &- 32))
    }
    @inline(__always) static func subScales(_ w: UnsafeRawPointer, _ j: Int) -> (Int32, Int32) {
        let sc = (w + 192).assumingMemoryBound(to: Int8.self)
        return (Int32(sc[2 * j]), Int32(sc[2 * j + 1]))
    }
    @inline(__always) static func scale(_ w: UnsafeRawPointer) -> Float { Lanes.f16(w, 208) }
}

/// Q2_K weights × q8_K activations: d_x·d · Σ_k sc_k Σ q·x − d_x·dmin · Σ_k m_k · (sum of x over sub-block k), over
/// sixteen sub-blocks of 16 with 4-bit scale sc_k (low nibble of scales[k]) and minimum m_k (high nibble).
/// Values 32j..<32j+32 (j = 4n + s) are bits 2s, 2s+1 of qs[32n..<32n+32].
enum Q2_KDot: QuantizedBlockDot {
    static var blockElements: Int { 256 }
    static var blockBytes: Int { 84 }
    static var hasSubScales: Bool { true }
    static var halvesScaledApart: Bool { true }
    @inline(__always) static func weights(_ w: UnsafeRawPointer, _ j: Int) -> (SIMD16<Int16>, SIMD16<Int16>) {
        let offset = 16 + 32 * (j >> 2), shift = UInt8(2 * (j & 3))
        return (Lanes.i16((Lanes.u8(w, offset) &>> shift) & 3), Lanes.i16((Lanes.u8(w, offset + 16) &>> shift) & 3))
    }
    @inline(__always) static func subScales(_ w: UnsafeRawPointer, _ j: Int) -> (Int32, Int32) {
        (Lanes.byte(w, 2 * j) & 15, Lanes.byte(w, 2 * j + 1) & 15)
    }
    @inline(__always) static func scale(_ w: UnsafeRawPointer) -> Float { Lanes.f16(w, 80) }
    @inline(__always) static func offset(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        let bsums = x.blockSums + 16 * b
        var sum: Int32 = 0
        for k in 0..<16 { sum &+= (Lanes.byte(w, k) >> 4) &* Int32(bsums[k]) }
        return -(x.scales[b] * Lanes.f16(w, 82)) * Float(sum)
    }
}

/// Q3_K weights × q8_K activations: d_x·d · Σ_k (sc_k − 32) Σ q·x over sixteen sub-blocks of 16, where
/// q = (two low bits) − 4 unless the value's bit in `hmask` is set. Values 32j..<32j+32 (j = 4n + s) take bits
/// 2s, 2s+1 of qs[32n..<32n+32] and bit j of hmask[0..<32]; the 6-bit scales are packed as in ggml.
enum Q3_KDot: QuantizedBlockDot {
    static var blockElements: Int { 256 }
    static var blockBytes: Int { 110 }
    static var hasSubScales: Bool { true }
    static var halvesScaledApart: Bool { true }
    @inline(__always) static func weights(_ w: UnsafeRawPointer, _ j: Int) -> (SIMD16<Int16>, SIMD16<Int16>) {
        let offset = 32 + 32 * (j >> 2), shift = UInt8(2 * (j & 3)), bit = UInt8(j)
        let four = SIMD16<UInt8>(repeating: 4)
        // 4 when the high bit is clear, else 0: subtracted from the two low bits.
        let minus0 = four &- (((Lanes.u8(w, 0) &>> bit) & 1) &<< 2), minus1 = four &- (((Lanes.u8(w, 16) &>> bit) & 1) &<< 2)
        let low0 = (Lanes.u8(w, offset) &>> shift) & 3, low1 = (Lanes.u8(w, offset + 16) &>> shift) & 3
        return (Lanes.i16(Lanes.signed(low0) &- Lanes.signed(minus0)), Lanes.i16(Lanes.signed(low1) &- Lanes.signed(minus1)))
    }
    /// Scale k of sixteen: low four bits from byte k (k < 8) or the high nibble of byte k − 8, top two bits from
    /// byte 8 + k % 4 at bit 2⌊k/4⌋; stored with an offset of 32.
    @inline(__always) static func scale(_ w: UnsafeRawPointer, k: Int) -> Int32 {
        let low = k < 8 ? Lanes.byte(w, 96 + k) & 15 : Lanes.byte(w, 96 + k - 8) >> 4
        let high = (Lanes.byte(w, 104 + k % 4) >> Int32(2 * (k / 4))) & 3
        return (low | (high << 4)) - 32
    }
    @inline(__always) static func subScales(_ w: UnsafeRawPointer, _ j: Int) -> (Int32, Int32) {
        (scale(w, k: 2 * j), scale(w, k: 2 * j + 1))
    }
    @inline(__always) static func scale(_ w: UnsafeRawPointer) -> Float { Lanes.f16(w, 108) }
}
