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

    /// The dot product of two vectors, accumulated in several SIMD registers so that the
    /// reduction order does not serialize the FMAs.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= count {
            acc0.addProduct(load16(a + i), load16(b + i))
            acc1.addProduct(load16(a + i + 16), load16(b + i + 16))
            i += 32
        }
        if i + 16 <= count {
            acc0.addProduct(load16(a + i), load16(b + i))
            i += 16
        }
        var sum = (acc0 + acc1).sum()
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// `y += alpha * x`.
    @inlinable
    public static func addScaled(_ x: UnsafePointer<Float>, alpha: Float, to y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            var v = load16(y + i)
            v.addProduct(load16(x + i), SIMD16(repeating: alpha))
            store16(v, y + i)
            i += 16
        }
        while i < count {
            y[i] += alpha * x[i]
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

    /// Replaces `x` by its softmax, computed stably (shifted by the maximum).
    @inlinable
    public static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        var maximum = -Float.infinity
        for i in 0..<count { maximum = max(maximum, x[i]) }
        var sum: Float = 0
        for i in 0..<count {
            let e = expf(x[i] - maximum)
            x[i] = e
            sum += e
        }
        let inverse = 1 / sum
        for i in 0..<count { x[i] *= inverse }
    }

    /// `x *= alpha`.
    @inlinable
    public static func scale(_ x: UnsafeMutablePointer<Float>, by alpha: Float, count: Int) {
        for i in 0..<count { x[i] *= alpha }
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
