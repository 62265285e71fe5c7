/// Conversions between `Float` and the narrow element types of ggml blocks.
///
/// All are `@inline(__always)`: built with `-target-cpu native` they compile to single F16C / integer
/// instructions, and they sit inside block loops.
@usableFromInline
enum ScalarConversion {
    /// IEEE half (ggml_half) bits to Float; exact.
    @inline(__always) @usableFromInline
    static func f16(_ bits: UInt16) -> Float { Float(Float16(bitPattern: bits)) }

    /// Float to IEEE half bits, rounding to nearest even like ggml's `GGML_FP32_TO_FP16` and F16C's `vcvtps2ph`.
    @inline(__always) @usableFromInline
    static func toF16(_ value: Float) -> UInt16 { Float16(value).bitPattern }

    /// bfloat16 bits to Float; exact.
    @inline(__always) @usableFromInline
    static func bf16(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// Float to bfloat16 bits exactly as ggml's `ggml_compute_fp32_to_bf16`: round to nearest even, NaN made quiet.
    @inline(__always) @usableFromInline
    static func toBF16(_ value: Float) -> UInt16 {
        let u = value.bitPattern
        if u & 0x7fff_ffff > 0x7f80_0000 { return UInt16(truncatingIfNeeded: u >> 16) | 64 }
        return UInt16(truncatingIfNeeded: (u &+ (0x7fff &+ ((u >> 16) & 1))) >> 16)
    }

    /// OCP FP8 E4M3 ("e4m3fn": bias 7, no infinities, 0x7F and 0xFF are NaN) to Float; exact.
    ///
    /// The low seven bits shifted left by seven are a half-precision number 2^8 times too small, for
    /// normals and subnormals alike (both formats keep the same mantissa alignment), hence the final scale.
    @inline(__always) @usableFromInline
    static func e4m3(_ byte: UInt8) -> Float {
        if byte & 0x7f == 0x7f { return .nan }
        let magnitude = Float(Float16(bitPattern: UInt16(byte & 0x7f) << 7)) * 256
        return byte & 0x80 != 0 ? -magnitude : magnitude
    }
}
