/// The two orders in which llama.cpp sums f16 dot products on AVX-512: `vec_dot_f16` (four 16-lane
/// accumulators over steps of 64, combined (0+2)+(1+3)) for one token, and llamafile's tiled
/// matrix product (one 16-lane accumulator over steps of 16) for two or more.
public enum HalfDotOrder: Sendable {
    /// `ggml_vec_dot_f16`: a single query token.
    case vector
    /// llamafile's `tinyBLAS`: a batch of query tokens.
    case tiled

    /// The order llama.cpp uses for a pass over `tokens` query tokens.
    @inlinable
    public init(tokens: Int) {
        self = tokens >= 2 ? .tiled : .vector
    }
}

/// Kernels over f16 vectors (the KV cache), computing in f32. Scalar `Float16` conversions compile
/// to single F16C instructions with `-target-cpu native`.
extension VectorOps {
    /// Rounds `count` floats to f16 into `output`.
    @inlinable
    public static func convert(_ x: UnsafePointer<Float>, to output: UnsafeMutablePointer<Float16>, count: Int) {
        for i in 0..<count { output[i] = Float16(x[i]) }
    }

    /// The dot product of two f16-valued vectors (`a` holds f16 values widened to f32), summed in one
    /// of ggml's two orders (see ``HalfDotOrder``). The products of f16 values are exact in f32, so
    /// in the same order the result is bit-identical to llama.cpp's. One pair at a time: the
    /// reference that ``AttentionScores`` (sixteen pairs at a time) is tested against.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float16>, count: Int, order: HalfDotOrder) -> Float {
        var i = 0
        var sum: Float
        switch order {
        case .vector:
            var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
            while i + 64 <= count {
                s0.addProduct(load16(a + i), widen16(b + i))
                s1.addProduct(load16(a + i + 16), widen16(b + i + 16))
                s2.addProduct(load16(a + i + 32), widen16(b + i + 32))
                s3.addProduct(load16(a + i + 48), widen16(b + i + 48))
                i += 64
            }
            sum = reduce16((s0 + s2) + (s1 + s3))
        case .tiled:
            var s = SIMD16<Float>()
            while i + 16 <= count {
                s.addProduct(load16(a + i), widen16(b + i))
                i += 16
            }
            sum = reduce16(s)
        }
        while i < count {
            sum += a[i] * Float(b[i])
            i += 1
        }
        return sum
    }

    /// The sum of sixteen lanes by halving (8+8, 4+4, 2+2, 1+1), the order of AVX-512's reduce-add.
    @inlinable @inline(__always)
    public static func reduce16(_ v: SIMD16<Float>) -> Float {
        let h8 = v.lowHalf + v.highHalf
        let h4 = h8.lowHalf + h8.highHalf
        let h2 = h4.lowHalf + h4.highHalf
        return h2[0] + h2[1]
    }

    /// Sixteen f16 values widened to f32. Spelled lane by lane: LLVM folds this into one
    /// vcvtph2ps, where the generic SIMD conversion becomes a per-lane loop.
    @inlinable @inline(__always)
    static func widen16(_ p: UnsafePointer<Float16>) -> SIMD16<Float> {
        SIMD16<Float>(
            Float(p[0]), Float(p[1]), Float(p[2]), Float(p[3]), Float(p[4]), Float(p[5]), Float(p[6]), Float(p[7]),
            Float(p[8]), Float(p[9]), Float(p[10]), Float(p[11]), Float(p[12]), Float(p[13]), Float(p[14]), Float(p[15]))
    }
}

extension VectorOps {
    /// Sixteen floats rounded to f16 and widened back, lane by lane so that it compiles to one
    /// vcvtps2ph and one vcvtph2ps.
    @inlinable @inline(__always)
    static func roundToHalf(_ v: SIMD16<Float>) -> SIMD16<Float> {
        let h = SIMD16<Float16>(
            Float16(v[0]), Float16(v[1]), Float16(v[2]), Float16(v[3]), Float16(v[4]), Float16(v[5]),
            Float16(v[6]), Float16(v[7]), Float16(v[8]), Float16(v[9]), Float16(v[10]), Float16(v[11]),
            Float16(v[12]), Float16(v[13]), Float16(v[14]), Float16(v[15]))
        return SIMD16<Float>(
            Float(h[0]), Float(h[1]), Float(h[2]), Float(h[3]), Float(h[4]), Float(h[5]), Float(h[6]), Float(h[7]),
            Float(h[8]), Float(h[9]), Float(h[10]), Float(h[11]), Float(h[12]), Float(h[13]), Float(h[14]), Float(h[15]))
    }
}
