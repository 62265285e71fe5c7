import CNumerics

/// The C kernels (`Sources/CNumerics/FloatRows*.c`) for BF16 and FP8 E4M3 weights.
///
/// They compute exactly what `FloatRows` computes with `BF16Weights` / `E4M3Weights`, bit for bit (FP8: unless an
/// activation beyond 2^120 overflows when scaled), but keep several rows in flight in decode, which is bound by
/// memory bandwidth, and share each weight load over several tokens in prefill. The Swift kernels remain the
/// reference and the fallback (other CPUs).
enum NativeFloatRows {
    /// Computes rows `rows` of `w` against every token of `act` when a C kernel covers the format and the CPU;
    /// returns false (having done nothing) otherwise.
    @inline(__always)
    static func run(_ w: WeightMatrix, _ rows: Range<Int>, _ act: ActivationBuffer, _ tokens: Int,
                    _ y: UnsafeMutablePointer<Float>, _ yStride: Int) -> Bool {
        let kernel: @convention(c) (UnsafeRawPointer?, Int, Int, Int, Int, UnsafeRawPointer?, Int, Int,
                                    UnsafeMutablePointer<Float>?, Int) -> Void
        switch w.format {
        case .bf16: kernel = cn_bf16_rows
        case .f8e4m3: kernel = cn_e4m3_rows
        default: return false
        }
        guard cn_kernel_level() > 0 else { return false }
        kernel(w.base, w.rowBytes, w.columns, rows.lowerBound, rows.upperBound, act.base, act.layout.tokenStride,
               tokens, y, yStride)
        return true
    }
}
