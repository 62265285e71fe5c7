/// Dot products of a row of float-like weights (F32, F16, BF16, FP8 E4M3) with a row of activations.
///
/// Four SIMD16 accumulators hide the FMA latency; the narrow types are widened with spelled-out lane
/// conversions, which LLVM folds into single `vcvtph2ps` / `vpmovzxwd` instructions (the generic SIMD
/// initializers compile to per-lane loops).
@usableFromInline
enum FloatRowDot {
    @inline(__always) static func widen(_ h: SIMD16<Float16>) -> SIMD16<Float> {
        SIMD16<Float>(Float(h[0]), Float(h[1]), Float(h[2]), Float(h[3]), Float(h[4]), Float(h[5]), Float(h[6]), Float(h[7]),
                      Float(h[8]), Float(h[9]), Float(h[10]), Float(h[11]), Float(h[12]), Float(h[13]), Float(h[14]), Float(h[15]))
    }
    @inline(__always) static func widen(_ v: SIMD16<UInt16>) -> SIMD16<UInt32> {
        SIMD16<UInt32>(UInt32(v[0]), UInt32(v[1]), UInt32(v[2]), UInt32(v[3]), UInt32(v[4]), UInt32(v[5]), UInt32(v[6]), UInt32(v[7]),
                       UInt32(v[8]), UInt32(v[9]), UInt32(v[10]), UInt32(v[11]), UInt32(v[12]), UInt32(v[13]), UInt32(v[14]), UInt32(v[15]))
    }
    @inline(__always) static func widen(_ v: SIMD16<UInt8>) -> SIMD16<UInt16> {
        SIMD16<UInt16>(UInt16(v[0]), UInt16(v[1]), UInt16(v[2]), UInt16(v[3]), UInt16(v[4]), UInt16(v[5]), UInt16(v[6]), UInt16(v[7]),
                       UInt16(v[8]), UInt16(v[9]), UInt16(v[10]), UInt16(v[11]), UInt16(v[12]), UInt16(v[13]), UInt16(v[14]), UInt16(v[15]))
    }

    @inline(__always) static func loadF16(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        ScalarConversion.f16(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
    @inline(__always) static func f16x16(_ p: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> {
        widen(p.loadUnaligned(fromByteOffset: 2 * i, as: SIMD16<Float16>.self))
    }
    @inline(__always) static func bf16x16(_ p: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> {
        unsafeBitCast(widen(p.loadUnaligned(fromByteOffset: 2 * i, as: SIMD16<UInt16>.self)) &<< 16, to: SIMD16<Float>.self)
    }
    @inline(__always) static func f32x16(_ p: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> {
        p.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
    }
    /// Sixteen E4M3 bytes as floats 2^8 times too small (see `ScalarConversion.e4m3`); NaN codes give NaN.
    @inline(__always) static func e4m3x16(_ p: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> {
        let b = widen(p.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self))
        var h = ((b & 0x7f) &<< 7) | ((b & 0x80) &<< 8)
        h.replace(with: 0x7e00, where: (b & 0x7f) .== 0x7f)
        return widen(unsafeBitCast(h, to: SIMD16<Float16>.self))
    }

    /// Σ w[i]·x[i] over `n` values, `load` turning 16 values at an index into floats; `scalar` handles the tail.
    @inline(__always)
    static func dot(_ n: Int, _ load: (Int) -> (SIMD16<Float>, SIMD16<Float>), _ scalar: (Int) -> Float) -> Float {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var i = 0
        while i + 64 <= n {
            let (w0, x0) = load(i), (w1, x1) = load(i + 16), (w2, x2) = load(i + 32), (w3, x3) = load(i + 48)
            a0.addProduct(w0, x0); a1.addProduct(w1, x1); a2.addProduct(w2, x2); a3.addProduct(w3, x3)
            i += 64
        }
        while i + 16 <= n {
            let (w0, x0) = load(i)
            a0.addProduct(w0, x0)
            i += 16
        }
        var total = ((a0 + a1) + (a2 + a3)).sum()
        while i < n { total += scalar(i); i += 1 }
        return total
    }

    /// F32 weights × F32 activations.
    @inline(__always) static func f32(_ w: UnsafeRawPointer, _ x: UnsafeRawPointer, _ n: Int) -> Float {
        dot(n, { (f32x16(w, $0), f32x16(x, $0)) }, {
            w.load(fromByteOffset: 4 * $0, as: Float.self) * x.load(fromByteOffset: 4 * $0, as: Float.self)
        })
    }

    /// F16 weights × F16 activations, products and sums in Float as ggml's `ggml_vec_dot_f16` with F16C.
    @inline(__always) static func f16(_ w: UnsafeRawPointer, _ x: UnsafeRawPointer, _ n: Int) -> Float {
        dot(n, { (f16x16(w, $0), f16x16(x, $0)) }, { loadF16(w, 2 * $0) * loadF16(x, 2 * $0) })
    }

    /// BF16 weights × BF16 activations, products and sums in Float.
    @inline(__always) static func bf16(_ w: UnsafeRawPointer, _ x: UnsafeRawPointer, _ n: Int) -> Float {
        @inline(__always) func one(_ p: UnsafeRawPointer, _ i: Int) -> Float {
            ScalarConversion.bf16(p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        }
        return dot(n, { (bf16x16(w, $0), bf16x16(x, $0)) }, { one(w, $0) * one(x, $0) })
    }

    /// FP8 E4M3 weights × F32 activations, unscaled (the per-tensor scale is the caller's).
    @inline(__always) static func e4m3(_ w: UnsafeRawPointer, _ x: UnsafeRawPointer, _ n: Int) -> Float {
        // The widened values are 2^-8 of the true ones; scale the sum once.
        let vectorPart = dot(n & ~15, { (e4m3x16(w, $0), f32x16(x, $0)) }, { _ in 0 }) * 256
        var tail: Float = 0
        for i in (n & ~15)..<n {
            tail += ScalarConversion.e4m3(w.load(fromByteOffset: i, as: UInt8.self)) * x.load(fromByteOffset: 4 * i, as: Float.self)
        }
        return vectorPart + tail
    }
}
