import CNumerics

/// The C kernels (`Sources/CNumerics`) for the 32-value formats llama.cpp's models use most: Q8_0, Q4_0 and Q4_1.
///
/// They compute exactly what `QuantizedRows` computes in ggml's order (see `GGMLLanes`), bit for bit, but get the
/// eight exact 4-product sums of a block from one instruction (`vpdpbusd` with AVX-512 VNNI, `pmaddubsw` +
/// `pmaddwd` with AVX2), which Swift cannot express; the Swift kernels remain the reference and the fallback
/// (other CPUs, other formats). Measured on Zen 4 (1 thread, SmolLM2 shapes): see the report of issue 5.
enum NativeRows {
    /// The instruction set in use: 0 none, 1 AVX2, 2 AVX-512 VNNI.
    static var level: Int { Int(cn_kernel_level()) }

    /// Uses at most `level` (nil: what the CPU has).
    static func limit(_ level: Int?) { cn_limit_kernel_level(Int32(level ?? -1)) }

    /// Whether activations of `format` should be stored as Int8 for these kernels.
    @inline(__always) static func takesNarrow(_ format: ActivationFormat) -> Bool {
        (format == .q8_0 || format == .q8_1) && cn_kernel_level() > 0
    }

    /// Computes rows `rows` of `w` against every token of `act` when a C kernel covers the format, the CPU and the
    /// activation storage; returns false (having done nothing) otherwise.
    @inline(__always)
    static func run(_ w: WeightMatrix, _ rows: Range<Int>, _ act: ActivationBuffer, _ tokens: Int,
                    _ y: UnsafeMutablePointer<Float>, _ yStride: Int) -> Bool {
        guard !act.layout.wideValues, cn_kernel_level() > 0 else { return false }
        let kernel: @convention(c) (UnsafeRawPointer?, Int, Int, Int, Int, cn_activations, Int,
                                    UnsafeMutablePointer<Float>?, Int) -> Void
        switch w.format {
        case .q8_0: kernel = cn_q8_0_rows
        case .q4_0: kernel = cn_q4_0_rows
        case .q4_1: kernel = cn_q4_1_rows
        default: return false
        }
        let x = cn_activations(base: act.base, token_stride: act.layout.tokenStride,
                               scale_offset: act.layout.scaleOffset, sum_offset: act.layout.sumOffset)
        kernel(w.base, w.rowBytes, w.columns / 32, rows.lowerBound, rows.upperBound, x, tokens, y, yStride)
        return true
    }
}
