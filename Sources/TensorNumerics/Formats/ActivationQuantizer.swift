import CNumerics

/// Converts one token's float activations to the `ActivationFormat` a weight format pairs with, computing the
/// same numbers as ggml's x86 `from_float` functions (`quantize_row_q8_0`, `quantize_row_q8_1`,
/// `quantize_row_q8_K`, `ggml_cpu_fp32_to_fp16`, `ggml_cpu_fp32_to_bf16`).
@usableFromInline
enum ActivationQuantizer {
    /// Writes token activations `x[0..<columns]` to `out` in `format`'s layout (`ActivationFormat.layout`).
    ///
    /// Quantized values are int8 in range, stored as Int16 or Int8 as `layout.wideValues` says.
    static func quantize(_ x: UnsafePointer<Float>, columns: Int, format: ActivationFormat, layout: ActivationLayout,
                         into out: UnsafeMutableRawPointer) {
        switch format {
        case .f32:
            out.copyMemory(from: x, byteCount: 4 * columns)
        case .f16:
            let o = out.assumingMemoryBound(to: UInt16.self)
            for i in 0..<columns { o[i] = ScalarConversion.toF16(x[i]) }
        case .bf16:
            let o = out.assumingMemoryBound(to: UInt16.self)
            for i in 0..<columns { o[i] = ScalarConversion.toBF16(x[i]) }
        case .q8_0, .q8_1:
            let scales = (out + layout.scaleOffset).assumingMemoryBound(to: Float.self)
            let sums = (out + layout.sumOffset).assumingMemoryBound(to: Float.self)
            let withScaledSum = format == .q8_1
            let wide = layout.wideValues, valueBytes = wide ? 2 : 1
            if !wide && cn_kernel_level() > 0 {
                // The same numbers, vectorized (the scalar rounding loop below took 13 % of a decode step).
                cn_quantize_q8(x, columns / 32, out.assumingMemoryBound(to: Int8.self), scales, sums, withScaledSum ? 1 : 0)
                return
            }
            for b in 0..<columns / 32 {
                q8Block(x + 32 * b, out + 32 * b * valueBytes, wide: wide, scale: scales + b, sum: sums + b, scaledSum: withScaledSum)
            }
        case .q8_K:
            let scales = (out + layout.scaleOffset).assumingMemoryBound(to: Float.self)
            let sums = (out + layout.sumOffset).assumingMemoryBound(to: Int16.self)
            let wide = layout.wideValues, valueBytes = wide ? 2 : 1
            for b in 0..<columns / 256 {
                q8KBlock(x + 256 * b, out + 256 * b * valueBytes, wide: wide, scale: scales + b, sums: sums + 16 * b)
            }
        }
    }

    /// ggml x86 `quantize_row_q8_0`/`_q8_1` for one block: d = amax/127 (stored as f16), multiplier 127/amax,
    /// round half to even (`_mm256_round_ps`), saturate to int8 (`packs`). For q8_1, s = f16(d × Σq) with the
    /// unrounded d; for q8_0 the slot holds Σq, which lets Q4_0/Q5_0 kernels fold their offset in afterwards.
    @inline(__always)
    static func q8Block(_ x: UnsafePointer<Float>, _ q: UnsafeMutableRawPointer, wide: Bool, scale: UnsafeMutablePointer<Float>,
                        sum: UnsafeMutablePointer<Float>, scaledSum: Bool) {
        let raw = UnsafeRawPointer(x)
        var m = SIMD16<Float>(repeating: 0)
        for i in 0..<2 {
            let v = raw.loadUnaligned(fromByteOffset: 64 * i, as: SIMD16<Float>.self)
            m = pointwiseMax(m, pointwiseMax(v, -v))
        }
        let amax = m.max()
        let d = amax / 127
        let id: Float = amax != 0 ? 127 / amax : 0
        var total: Int32 = 0
        for j in 0..<32 {
            let r = (x[j] * id).rounded(.toNearestOrEven)
            // cvtps_epi32 + saturating packs; NaN becomes the "integer indefinite" value, saturated to -128.
            let v: Int32 = r.isNaN ? -128 : Int32(Swift.max(-128, Swift.min(127, r)))
            store(v, at: j, in: q, wide: wide)
            total &+= v
        }
        scale.pointee = ScalarConversion.f16(ScalarConversion.toF16(d))
        sum.pointee = scaledSum ? ScalarConversion.f16(ScalarConversion.toF16(d * Float(total))) : Float(total)
    }

    /// ggml `quantize_row_q8_K_ref` (what x86 uses) for one block of 256: the value of largest magnitude sets
    /// iscale = -127/max (so the sign may flip), q = nearest_int(iscale × x) capped at 127, d = 1/iscale as a
    /// float, and sums of each 16 quantized values.
    static func q8KBlock(_ x: UnsafePointer<Float>, _ q: UnsafeMutableRawPointer, wide: Bool, scale: UnsafeMutablePointer<Float>,
                         sums: UnsafeMutablePointer<Int16>) {
        var amax: Float = 0, maxValue: Float = 0
        for j in 0..<256 {
            let ax = abs(x[j])
            if ax > amax { amax = ax; maxValue = x[j] }
        }
        if amax == 0 {
            scale.pointee = 0
            for j in 0..<256 { store(0, at: j, in: q, wide: wide) }
            for j in 0..<16 { sums[j] = 0 }
            return
        }
        let iscale = -127 / maxValue
        for j in 0..<256 {
            // nearest_int adds 1.5 × 2^23: round half to even.
            let r = (iscale * x[j]).rounded(.toNearestOrEven)
            let v: Int32 = r.isNaN ? 0 : Int32(Swift.max(-4_194_303, Swift.min(127, r)))
            store(v, at: j, in: q, wide: wide)
        }
        for j in 0..<16 {
            var s: Int32 = 0
            for i in 0..<16 { s &+= load(at: 16 * j + i, in: q, wide: wide) }
            sums[j] = Int16(truncatingIfNeeded: s)
        }
        scale.pointee = 1 / iscale
    }

    @inline(__always) static func store(_ v: Int32, at j: Int, in q: UnsafeMutableRawPointer, wide: Bool) {
        if wide {
            q.storeBytes(of: Int16(truncatingIfNeeded: v), toByteOffset: 2 * j, as: Int16.self)
        } else {
            q.storeBytes(of: Int8(truncatingIfNeeded: v), toByteOffset: j, as: Int8.self)
        }
    }

    @inline(__always) static func load(at j: Int, in q: UnsafeMutableRawPointer, wide: Bool) -> Int32 {
        wide ? Int32(q.load(fromByteOffset: 2 * j, as: Int16.self)) : Int32(q.load(fromByteOffset: j, as: Int8.self))
    }
}
