import CNumerics

/// The C kernels for float-like weights: F16 and F32 (`Sources/CNumerics/F16Rows*.c`), BF16 and FP8 E4M3
/// (`Sources/CNumerics/FloatRows*.c`).
///
/// They compute exactly what `FloatRows` computes, bit for bit and in the same order (four accumulators per output
/// over chunks of 64, their lanes added in lane order; FP8: unless an activation beyond 2^120 overflows when
/// scaled). Decode streams each row once (software prefetch for F16, several rows in flight for BF16/FP8, which
/// are bound by memory bandwidth); F16/F32 prefill widens a chunk of activations to floats once and runs 4 rows ×
/// 4 tokens register tiles, one of the four accumulators at a time so that each load feeds four FMAs,
/// cache-blocked over rows and tokens, with the lane sums of sixteen outputs done together by a transpose
/// (80–100 GFLOP/s on one Zen 4 core against 35 for the Swift path); BF16 prefill runs in the same tiles.
/// `FloatRows` remains the reference and the fallback.
enum NativeFloatRows {
    /// Computes rows `rows` of `w` against every token of `act` when a C kernel covers the format and the CPU;
    /// returns false (having done nothing) otherwise.
    @inline(__always)
    static func run(_ w: WeightMatrix, _ rows: Range<Int>, _ act: ActivationBuffer, _ tokens: Int,
                    _ y: UnsafeMutablePointer<Float>, _ yStride: Int) -> Bool {
        let kernel: @convention(c) (UnsafeRawPointer?, Int, Int, Int, Int, UnsafeRawPointer?, Int, Int,
                                    UnsafeMutablePointer<Float>?, Int) -> Void
        switch w.format {
        case .f16: kernel = cn_f16_rows
        case .f32: kernel = cn_f32_rows
        case .bf16: kernel = cn_bf16_rows
        case .f8e4m3: kernel = cn_e4m3_rows
        default: return false
        }
        guard cn_kernel_level() > 0 else { return false }
        // BF16 prefill (and batches) in F16's register tiles, where every weight load feeds several tokens; the
        // BF16 row kernel would widen each token's activations again for every row.
        if w.format == .bf16, tokens > 1,
           cn_bf16_gemm(w.base, w.rowBytes, w.columns, rows.lowerBound, rows.upperBound, act.base,
                        act.layout.tokenStride, tokens, y, yStride) != 0 {
            return true
        }
        kernel(w.base, w.rowBytes, w.columns, rows.lowerBound, rows.upperBound, act.base, act.layout.tokenStride,
               tokens, y, yStride)
        return true
    }
}
