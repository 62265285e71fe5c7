#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The vectorized single-precision exponential of Arm's optimized-routines (max error about 1.5 ulp),
/// in the form ggml uses on AVX-512 for SiLU and softmax. Computing the same approximation, not
/// libm's correctly rounded expf, keeps activations identical to llama.cpp's to the last bit; on
/// models with outlier activations a last-bit difference can flip an 8-bit rounding downstream.
public enum VectorExp {
    /// e^x for sixteen lanes. Values above about 88.38 give infinity, below about -103.97 zero.
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let shifter = SIMD16<Float>(repeating: 0x1.8p23)
        // n = round(x / ln 2) through the shifter trick; b = x - n ln 2 in two parts (Cody-Waite).
        let z = shifter.addingProduct(x, SIMD16(repeating: 0x1.715476p+0))
        let n = z - shifter
        let b = x.addingProduct(-n, SIMD16(repeating: 0x1.62e4p-1)).addingProduct(-n, SIMD16(repeating: 0x1.7f7d1cp-20))
        let u = b * b
        let inner = SIMD16<Float>(repeating: 0x1.573e2ep-5).addingProduct(SIMD16(repeating: 0x1.0e4020p-7), b)
        let outer = SIMD16<Float>(repeating: 0x1.fffdb6p-2).addingProduct(SIMD16(repeating: 0x1.555e66p-3), b)
        let low = SIMD16<Float>(repeating: 1).addingProduct(SIMD16(repeating: 0x1.ffffecp-1), b)
        let j = low.addingProduct(outer.addingProduct(inner, u), u)
        // The shifter leaves n as an integer in z's low mantissa bits. Lanes beyond ±192 (infinite,
        // NaN or out of range) get garbage here and are replaced below; no clamp is needed, and the
        // selects are spelled as whole-vector masks so that they compile to blends, not lane loops.
        let exponent = unsafeBitCast(z, to: SIMD16<Int32>.self) &- unsafeBitCast(shifter, to: SIMD16<Int32>.self)
        let half = exponent &>> 1
        let result = j * powerOfTwo(half) * powerOfTwo(exponent &- half)
        let magnitude = unsafeBitCast(unsafeBitCast(n, to: SIMD16<UInt32>.self) & 0x7fff_ffff, to: SIMD16<Float>.self)
        let inside = magnitude .<= SIMD16<Float>(repeating: 192)
        if all(inside) { return result }
        var outside = SIMD16<Float>().replacing(with: .infinity, where: n .> SIMD16<Float>(repeating: 0))
        outside = outside.replacing(with: .nan, where: n .!= n)
        return result.replacing(with: outside, where: .!inside)
    }

    /// 2ⁿ per lane for |n| ≤ 96, from its bits: a power of two multiplies exactly.
    @inlinable @inline(__always)
    static func powerOfTwo(_ n: SIMD16<Int32>) -> SIMD16<Float> {
        unsafeBitCast((n &+ 127) &<< 23, to: SIMD16<Float>.self)
    }
}
