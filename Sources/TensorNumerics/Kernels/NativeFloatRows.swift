import CNumerics

/// The C kernels (`Sources/CNumerics/FloatRows*.c`) for F16 and F32 weights.
///
/// They compute exactly what `FloatRows` computes, bit for bit and in the same order, but decode streams each row
/// once with a few rows in flight, and prefill runs a register-tiled product (2 rows × 3 tokens × 4 accumulators with
/// AVX-512) over activations widened to floats once per call, with blocks of rows kept in cache while every token
/// passes; Swift's generic SIMD code reached half of that speed. `FloatRows` remains the reference and the fallback.
enum NativeFloatRows {
    /// Computes rows `rows` of `w` against every token of `act` when a C kernel covers the format and the CPU;
    /// returns false (having done nothing) otherwise.
    @inline(__always)
    static func run(_ w: WeightMatrix, _ rows: Range<Int>, _ act: ActivationBuffer, _ tokens: Int,
                    _ y: UnsafeMutablePointer<Float>, _ yStride: Int) -> Bool {
        guard cn_kernel_level() > 0 else { return false }
        let kernel: @convention(c) (UnsafeRawPointer?, Int, Int, Int, Int, UnsafeRawPointer?, Int, Int,
                                    UnsafeMutablePointer<Float>?, Int) -> Void
        switch w.format {
        case .f16: kernel = cn_f16_rows
        case .f32: kernel = cn_f32_rows
        default: return false
        }
        kernel(w.base, w.rowBytes, w.columns, rows.lowerBound, rows.upperBound, act.base, act.layout.tokenStride,
               tokens, y, yStride)
        return true
    }
}
