/// Dot products of one quantized weight block with the matching block of quantized activations.
///
/// Each kernel computes what ggml's `ggml_vec_dot_<weights>_<activations>` computes for one block: an exact
/// integer sum of products, scaled by the weight and activation scales in Float (and, for formats with a
/// minimum, the minimum times the activation sum). Only the order of the Float additions across blocks differs
/// from ggml's. The integer loops are plain `Int32` loops over fixed-size blocks, which LLVM turns into
/// `vpmovsxbw` + `vpmaddwd` vector code (see shared/notes/swift-kernels.md).
@usableFromInline
protocol QuantizedBlockDot {
    /// Weight values per block (32 or 256).
    static var blockElements: Int { get }
    /// Bytes per weight block.
    static var blockBytes: Int { get }
    /// The dot product of the weight block at `w` with block number `b` of the token's activations `x`.
    static func dot(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float
}

@inline(__always) fileprivate func loadF16(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
    ScalarConversion.f16(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
}
@inline(__always) fileprivate func byte(_ p: UnsafeRawPointer, _ offset: Int) -> Int32 {
    Int32(p.load(fromByteOffset: offset, as: UInt8.self))
}
@inline(__always) fileprivate func sbyte(_ p: UnsafePointer<Int8>, _ offset: Int) -> Int32 { Int32(p[offset]) }

/// Q8_0 weights × q8_0 activations: d_w · d_x · Σ w·x.
@usableFromInline enum Q8_0Dot: QuantizedBlockDot {
    @usableFromInline static var blockElements: Int { 32 }
    @usableFromInline static var blockBytes: Int { 34 }
    @inline(__always) @usableFromInline
    static func dot(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        let q = (w + 2).assumingMemoryBound(to: Int8.self), a = x.q + 32 * b
        var sum: Int32 = 0
        for j in 0..<32 { sum &+= sbyte(q, j) &* sbyte(a, j) }
        return (loadF16(w, 0) * x.scales[b]) * Float(sum)
    }
}

/// Q4_0 weights × q8_0 activations: d_w · d_x · Σ (q − 8)·x.
@usableFromInline enum Q4_0Dot: QuantizedBlockDot {
    @usableFromInline static var blockElements: Int { 32 }
    @usableFromInline static var blockBytes: Int { 18 }
    @inline(__always) @usableFromInline
    static func dot(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        let a = x.q + 32 * b
        var sum: Int32 = 0
        for j in 0..<16 {
            let v = byte(w, 2 + j)
            sum &+= ((v & 15) &- 8) &* sbyte(a, j) &+ ((v >> 4) &- 8) &* sbyte(a, j + 16)
        }
        return (loadF16(w, 0) * x.scales[b]) * Float(sum)
    }
}

/// Q4_1 weights × q8_1 activations: d_w · d_x · Σ q·x + m_w · s_x.
@usableFromInline enum Q4_1Dot: QuantizedBlockDot {
    @usableFromInline static var blockElements: Int { 32 }
    @usableFromInline static var blockBytes: Int { 20 }
    @inline(__always) @usableFromInline
    static func dot(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        let a = x.q + 32 * b
        var sum: Int32 = 0
        for j in 0..<16 {
            let v = byte(w, 4 + j)
            sum &+= (v & 15) &* sbyte(a, j) &+ (v >> 4) &* sbyte(a, j + 16)
        }
        return (loadF16(w, 0) * x.scales[b]) * Float(sum) + loadF16(w, 2) * x.floatSums[b]
    }
}

/// Q5_0 weights × q8_0 activations: d_w · d_x · Σ (q − 16)·x, the fifth bits in a 32-bit mask.
@usableFromInline enum Q5_0Dot: QuantizedBlockDot {
    @usableFromInline static var blockElements: Int { 32 }
    @usableFromInline static var blockBytes: Int { 22 }
    @inline(__always) @usableFromInline
    static func dot(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        let a = x.q + 32 * b
        let qh = Int32(bitPattern: UInt32(littleEndian: w.loadUnaligned(fromByteOffset: 2, as: UInt32.self)))
        var sum: Int32 = 0
        for j in 0..<16 {
            let v = byte(w, 6 + j)
            let lo = (v & 15) | (((qh >> Int32(j)) & 1) << 4), hi = (v >> 4) | (((qh >> Int32(j + 16)) & 1) << 4)
            sum &+= (lo &- 16) &* sbyte(a, j) &+ (hi &- 16) &* sbyte(a, j + 16)
        }
        return (loadF16(w, 0) * x.scales[b]) * Float(sum)
    }
}

/// Q5_1 weights × q8_1 activations: d_w · d_x · Σ q·x + m_w · s_x.
@usableFromInline enum Q5_1Dot: QuantizedBlockDot {
    @usableFromInline static var blockElements: Int { 32 }
    @usableFromInline static var blockBytes: Int { 24 }
    @inline(__always) @usableFromInline
    static func dot(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        let a = x.q + 32 * b
        let qh = Int32(bitPattern: UInt32(littleEndian: w.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        var sum: Int32 = 0
        for j in 0..<16 {
            let v = byte(w, 8 + j)
            let lo = (v & 15) | (((qh >> Int32(j)) & 1) << 4), hi = (v >> 4) | (((qh >> Int32(j + 16)) & 1) << 4)
            sum &+= lo &* sbyte(a, j) &+ hi &* sbyte(a, j + 16)
        }
        return (loadF16(w, 0) * x.scales[b]) * Float(sum) + loadF16(w, 2) * x.floatSums[b]
    }
}

/// The eight 6-bit (scale, min) pairs of a Q4_K/Q5_K block, as ggml's `get_scale_min_k4`.
@inline(__always) fileprivate func kScaleMin(_ s: UnsafeRawPointer, _ j: Int) -> (Int32, Int32) {
    if j < 4 { return (byte(s, j) & 63, byte(s, j + 4) & 63) }
    return ((byte(s, j + 4) & 15) | ((byte(s, j - 4) >> 6) << 4), (byte(s, j + 4) >> 4) | ((byte(s, j) >> 6) << 4))
}

/// Q4_K weights × q8_K activations: d_x·d_w · Σ_j sc_j Σ q·x − d_x·dmin_w · Σ_j m_j · (sums of x over sub-block j).
@usableFromInline enum Q4_KDot: QuantizedBlockDot {
    @usableFromInline static var blockElements: Int { 256 }
    @usableFromInline static var blockBytes: Int { 144 }
    @inline(__always) @usableFromInline
    static func dot(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        let a = x.q + 256 * b, bsums = x.blockSums + 16 * b, scales = w + 4
        var sumi: Int32 = 0, summ: Int32 = 0
        for j in 0..<4 {
            let q = w + 16 + 32 * j, a0 = a + 64 * j, a1 = a0 + 32
            var s0: Int32 = 0, s1: Int32 = 0
            for l in 0..<32 {
                let v = byte(q, l)
                s0 &+= (v & 15) &* sbyte(a0, l)
                s1 &+= (v >> 4) &* sbyte(a1, l)
            }
            let (sc0, m0) = kScaleMin(scales, 2 * j), (sc1, m1) = kScaleMin(scales, 2 * j + 1)
            sumi &+= sc0 &* s0 &+ sc1 &* s1
            summ &+= m0 &* (Int32(bsums[4 * j]) &+ Int32(bsums[4 * j + 1]))
                &+ m1 &* (Int32(bsums[4 * j + 2]) &+ Int32(bsums[4 * j + 3]))
        }
        let dx = x.scales[b]
        return (dx * loadF16(w, 0)) * Float(sumi) - (dx * loadF16(w, 2)) * Float(summ)
    }
}

/// Q5_K weights × q8_K activations: as Q4_K with a fifth bit per value from `qh`.
@usableFromInline enum Q5_KDot: QuantizedBlockDot {
    @usableFromInline static var blockElements: Int { 256 }
    @usableFromInline static var blockBytes: Int { 176 }
    @inline(__always) @usableFromInline
    static func dot(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        let a = x.q + 256 * b, bsums = x.blockSums + 16 * b, scales = w + 4, qh = w + 16
        var sumi: Int32 = 0, summ: Int32 = 0
        for j in 0..<4 {
            let q = w + 48 + 32 * j, a0 = a + 64 * j, a1 = a0 + 32
            let shift = Int32(2 * j)
            var s0: Int32 = 0, s1: Int32 = 0
            for l in 0..<32 {
                let v = byte(q, l), h = byte(qh, l) >> shift
                s0 &+= ((v & 15) | ((h & 1) << 4)) &* sbyte(a0, l)
                s1 &+= ((v >> 4) | ((h & 2) << 3)) &* sbyte(a1, l)
            }
            let (sc0, m0) = kScaleMin(scales, 2 * j), (sc1, m1) = kScaleMin(scales, 2 * j + 1)
            sumi &+= sc0 &* s0 &+ sc1 &* s1
            summ &+= m0 &* (Int32(bsums[4 * j]) &+ Int32(bsums[4 * j + 1]))
                &+ m1 &* (Int32(bsums[4 * j + 2]) &+ Int32(bsums[4 * j + 3]))
        }
        let dx = x.scales[b]
        return (dx * loadF16(w, 0)) * Float(sumi) - (dx * loadF16(w, 2)) * Float(summ)
    }
}

/// Q6_K weights × q8_K activations: d_x·d_w · Σ_k sc_k Σ (q − 32)·x over sixteen sub-blocks of 16.
@usableFromInline enum Q6_KDot: QuantizedBlockDot {
    @usableFromInline static var blockElements: Int { 256 }
    @usableFromInline static var blockBytes: Int { 210 }
    @inline(__always) @usableFromInline
    static func dot(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float {
        let a = x.q + 256 * b
        var sumi: Int32 = 0
        for n in 0..<2 {
            let ql = w + 64 * n, qh = w + 128 + 32 * n, sc = (w + 192 + 8 * n).assumingMemoryBound(to: Int8.self)
            let an = a + 128 * n
            // Quarter p of the 128 values: low or high nibbles of ql[0..<32] or ql[32..<64], two bits of qh.
            for p in 0..<4 {
                let lowOffset = (p & 1) * 32, nibbleShift = Int32((p >> 1) * 4), highShift = Int32(2 * p)
                let ap = an + 32 * p
                var s0: Int32 = 0, s1: Int32 = 0
                for l in 0..<16 {
                    let v0 = ((byte(ql, lowOffset + l) >> nibbleShift) & 15) | (((byte(qh, l) >> highShift) & 3) << 4)
                    let v1 = ((byte(ql, lowOffset + l + 16) >> nibbleShift) & 15) | (((byte(qh, l + 16) >> highShift) & 3) << 4)
                    s0 &+= (v0 &- 32) &* sbyte(ap, l)
                    s1 &+= (v1 &- 32) &* sbyte(ap, l + 16)
                }
                sumi &+= Int32(sc[2 * p]) &* s0 &+ Int32(sc[2 * p + 1]) &* s1
            }
        }
        return (x.scales[b] * loadF16(w, 208)) * Float(sumi)
    }
}
