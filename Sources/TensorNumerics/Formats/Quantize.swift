/// Reference quantizers from floats to ggml formats, bit for bit equal to ggml's `quantize_row_*_ref`.
///
/// These are what `llama-quantize` runs when no importance matrix is given, so a model requantized with
/// them (e.g. Q4_1 dequantized and re-quantized to Q8_0) equals llama.cpp's file. They are not used for
/// activations during inference: those follow ggml's x86 paths (see `ActivationQuantizer`), which round
/// differently. Where ggml's C leaves float contraction to the compiler (`x * id + 0.5f` in Q4/Q5), the
/// unfused ISO C evaluation is used.
public enum Quantize {
    /// Formats `row` can write.
    public static let supportedFormats: Set<TensorFormat> = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K]

    /// Quantizes `count` floats at `x` to `format`, writing `format.rowBytes(count)` bytes at `out`.
    ///
    /// Preconditions (check them first, e.g. with `check(_:count:)`): `format` is in `supportedFormats` (of the
    /// K-quants only Q4_K, without an importance matrix) and `count` is a whole number of
    /// the format's blocks.
    public static func row(_ x: UnsafePointer<Float>, count: Int, to format: TensorFormat, into out: UnsafeMutableRawPointer) {
        if let error = check(format, count: count) { preconditionFailure(error.description) }
        let blocks = count / format.blockElements
        switch format {
        case .f32:
            out.copyMemory(from: x, byteCount: count * 4)
        case .f16:
            for i in 0..<count { out.storeBytes(of: ScalarConversion.toF16(x[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
        case .bf16:
            for i in 0..<count { out.storeBytes(of: ScalarConversion.toBF16(x[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
        case .q8_0:
            for i in 0..<blocks { q8_0(x + 32 * i, out + 34 * i) }
        case .q4_0:
            for i in 0..<blocks { q4_0(x + 32 * i, out + 18 * i) }
        case .q4_1:
            for i in 0..<blocks { q4_1(x + 32 * i, out + 20 * i) }
        case .q5_0:
            for i in 0..<blocks { q5_0(x + 32 * i, out + 22 * i) }
        case .q5_1:
            for i in 0..<blocks { q5_1(x + 32 * i, out + 24 * i) }
        case .q4_K:
            for i in 0..<blocks { q4_K(x + 256 * i, out + 144 * i) }
        default:
            preconditionFailure(NumericsError.unsupportedFormat(format, operation: "quantization").description)
        }
    }

    /// Why `row(_:count:to:into:)` would refuse `format` for rows of `count` values, or nil when it accepts them.
    public static func check(_ format: TensorFormat, count: Int) -> NumericsError? {
        guard supportedFormats.contains(format) else { return .unsupportedFormat(format, operation: "quantization") }
        guard format.rowBytes(count) != nil else { return .partialBlock(format, columns: count) }
        return nil
    }

    @inline(__always) static func storeF16(_ value: Float, _ out: UnsafeMutableRawPointer, _ offset: Int) {
        out.storeBytes(of: ScalarConversion.toF16(value).littleEndian, toByteOffset: offset, as: UInt16.self)
    }

    /// C's `(int)f` for the small values the Q4/Q5 quantizers convert: truncation toward zero. NaN (from NaN
    /// inputs, undefined in C) gives 0 instead of trapping.
    @inline(__always) static func truncate(_ f: Float) -> Int32 {
        f.isNaN ? 0 : Int32(Swift.max(-1_000_000, Swift.min(1_000_000, f)).rounded(.towardZero))
    }

    static func q8_0(_ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        storeF16(d, out, 0)
        // roundf: halves away from zero.
        for j in 0..<32 {
            let q = truncate((x[j] * id).rounded(.toNearestOrAwayFromZero))
            out.storeBytes(of: Int8(Swift.max(-128, Swift.min(127, q))), toByteOffset: 2 + j, as: Int8.self)
        }
    }

    /// The value of largest magnitude (the first one on ties), as ggml's Q4_0/Q5_0 quantizers pick it.
    @inline(__always) static func signedAbsMax(_ x: UnsafePointer<Float>) -> Float {
        var amax: Float = 0, maxValue: Float = 0
        for j in 0..<32 where amax < abs(x[j]) {
            amax = abs(x[j]); maxValue = x[j]
        }
        return maxValue
    }

    static func q4_0(_ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer) {
        let d = signedAbsMax(x) / -8
        let id: Float = d != 0 ? 1 / d : 0
        storeF16(d, out, 0)
        for j in 0..<16 {
            let x0 = x[j] * id, x1 = x[16 + j] * id
            let q0 = UInt8(min(15, truncate(x0 + 8.5))), q1 = UInt8(min(15, truncate(x1 + 8.5)))
            out.storeBytes(of: q0 | (q1 << 4), toByteOffset: 2 + j, as: UInt8.self)
        }
    }

    @inline(__always) static func minMax(_ x: UnsafePointer<Float>) -> (Float, Float) {
        var lo = Float.greatestFiniteMagnitude, hi = -Float.greatestFiniteMagnitude
        for j in 0..<32 {
            if x[j] < lo { lo = x[j] }
            if x[j] > hi { hi = x[j] }
        }
        return (lo, hi)
    }

    static func q4_1(_ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer) {
        let (lo, hi) = minMax(x)
        let d = (hi - lo) / 15
        let id: Float = d != 0 ? 1 / d : 0
        storeF16(d, out, 0)
        storeF16(lo, out, 2)
        for j in 0..<16 {
            let x0 = (x[j] - lo) * id, x1 = (x[16 + j] - lo) * id
            let q0 = UInt8(min(15, truncate(x0 + 0.5))), q1 = UInt8(min(15, truncate(x1 + 0.5)))
            out.storeBytes(of: q0 | (q1 << 4), toByteOffset: 4 + j, as: UInt8.self)
        }
    }

    static func q5_0(_ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer) {
        let d = signedAbsMax(x) / -16
        let id: Float = d != 0 ? 1 / d : 0
        storeF16(d, out, 0)
        var qh: UInt32 = 0
        for j in 0..<16 {
            let q0 = UInt32(min(31, truncate(x[j] * id + 16.5))), q1 = UInt32(min(31, truncate(x[16 + j] * id + 16.5)))
            out.storeBytes(of: UInt8((q0 & 0x0f) | ((q1 & 0x0f) << 4)), toByteOffset: 6 + j, as: UInt8.self)
            qh |= ((q0 & 0x10) >> 4) << UInt32(j)
            qh |= ((q1 & 0x10) >> 4) << UInt32(j + 16)
        }
        out.storeBytes(of: qh.littleEndian, toByteOffset: 2, as: UInt32.self)
    }

    static func q5_1(_ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer) {
        let (lo, hi) = minMax(x)
        let d = (hi - lo) / 31
        let id: Float = d != 0 ? 1 / d : 0
        storeF16(d, out, 0)
        storeF16(lo, out, 2)
        var qh: UInt32 = 0
        for j in 0..<16 {
            // ggml converts with (uint8_t)(x + 0.5f) and no clamp; the values stay within 0...31.
            let q0 = UInt32(UInt8(truncatingIfNeeded: truncate((x[j] - lo) * id + 0.5)))
            let q1 = UInt32(UInt8(truncatingIfNeeded: truncate((x[16 + j] - lo) * id + 0.5)))
            out.storeBytes(of: UInt8((q0 & 0x0f) | ((q1 & 0x0f) << 4)), toByteOffset: 8 + j, as: UInt8.self)
            qh |= ((q0 & 0x10) >> 4) << UInt32(j)
            qh |= ((q1 & 0x10) >> 4) << UInt32(j + 16)
        }
        out.storeBytes(of: qh.littleEndian, toByteOffset: 4, as: UInt32.self)
    }
}
