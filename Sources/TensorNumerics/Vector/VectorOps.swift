#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Elementwise and reduction kernels over contiguous f32 vectors: the small steps between matrix
/// products. Each works in 16-lane SIMD with a scalar tail, so any length is accepted.
public enum VectorOps {
    /// `output = x / rms(x) * weight`, with rms(x) = sqrt(mean(x²) + epsilon). `output` may alias `x`.
    ///
    /// The sum of squares is accumulated in double, as ggml does: the norm's input feeds 8-bit
    /// activation quantization, where a last-bit difference can flip a rounding.
    @inlinable
    public static func rmsNorm(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, count: Int, epsilon: Float,
        output: UnsafeMutablePointer<Float>
    ) {
        var sumSquares: Double = 0
        for i in 0..<count { sumSquares += Double(x[i] * x[i]) }
        let mean = Float(sumSquares / Double(count))
        let scale = 1 / (mean + epsilon).squareRoot()
        var i = 0
        while i + 16 <= count {
            let v = load16(x + i) * scale * load16(weight + i)
            store16(v, output + i)
            i += 16
        }
        while i < count {
            output[i] = x[i] * scale * weight[i]
            i += 1
        }
    }

    /// `y += x`.
    @inlinable
    public static func add(_ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            store16(load16(y + i) + load16(x + i), y + i)
            i += 16
        }
        while i < count {
            y[i] += x[i]
            i += 1
        }
    }

    /// `gate = silu(gate) * up`: the SwiGLU activation of a Llama feed-forward block, over one row.
    /// Whole groups of sixteen use ``VectorExp`` and the tail libm's expf, as ggml does per row.
    @inlinable
    public static func swiGLU(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            let g = load16(gate + i)
            let silu = g / (1 + VectorExp.exp(-g))
            store16(silu * load16(up + i), gate + i)
            i += 16
        }
        while i < count {
            let g = gate[i]
            gate[i] = g / (1 + expf(-g)) * up[i]
            i += 1
        }
    }

    @inlinable @inline(__always)
    static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inlinable @inline(__always)
    static func load16(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inlinable @inline(__always)
    static func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }
}
