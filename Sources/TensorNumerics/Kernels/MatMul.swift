/// Products of weight matrices with batches of activation vectors, computed on the quantized blocks.
///
/// Activations are first converted once to the format ggml pairs with the weights (q8_0 for Q4_0/Q5_0/Q8_0,
/// q8_1 for Q4_1/Q5_1, q8_K for the K-quants, f16 for F16, bf16 for BF16, f32 for F32 and FP8), exactly as
/// llama.cpp's CPU backend does, so results agree with llama.cpp up to Float summation order (checked against
/// ggml's own x86 kernels to 4e-5 relative). The rows of the weights are then split across the pool; each
/// thread takes its rows one at a time and runs every token against a row while it is in L1, four tokens per
/// pass so that each weight block is decoded once per four tokens. Each weight byte is read from memory once
/// per call.
public enum MatMul {
    /// `y[t * yStride + r] = Σ_c W[r, c] · x[t * xStride + c]` for `t` in `0..<tokens`, `r` in `0..<w.rows`.
    ///
    /// `tokens` must be at most `workspace.maxTokens` and `w.columns` at most `workspace.maxColumns`;
    /// `w.supportsMultiply` must hold. For FP8 weights the result is unscaled: multiply by the tensor's scale.
    public static func multiply(_ w: WeightMatrix, input x: UnsafePointer<Float>, xStride: Int, tokens: Int,
                                output y: UnsafeMutablePointer<Float>, yStride: Int,
                                workspace: MatMulWorkspace, pool: ThreadPool) {
        guard tokens > 0, w.rows > 0 else { return }
        let act = prepare(w, x, xStride, tokens, workspace, pool)
        var task = RowsTask(w: w, act: act, tokens: tokens, y: y, yStride: yStride)
        let bytes = task.bytes
        withUnsafePointer(to: &task) { context in
            pool.parallelFor(w.rows, granularity: granularity(w.rows, pool), chunksPerThread: chunksPerThread(bytes, pool),
                             context: UnsafeRawPointer(context)) { context, lower, upper in
                context.assumingMemoryBound(to: RowsTask.self).pointee.run(lower..<upper)
            }
        }
    }

    /// The same input feeding two or three matrices (Q/K/V, gate/up) in one parallel region: the input is
    /// quantized once per activation format and the rows of all matrices are split together across the pool.
    ///
    /// `y_i[t * yStrides.i + r] = Σ_c W_i[r, c] · input[t * xStride + c]`. All matrices must have the same number
    /// of columns; pass nil for `w2`/`y2` for two matrices (`yStrides.2` is then ignored). Allocates nothing.
    public static func multiply(_ w0: WeightMatrix, _ y0: UnsafeMutablePointer<Float>,
                                _ w1: WeightMatrix, _ y1: UnsafeMutablePointer<Float>,
                                _ w2: WeightMatrix?, _ y2: UnsafeMutablePointer<Float>?,
                                input: UnsafePointer<Float>, xStride: Int, tokens: Int, yStrides: (Int, Int, Int),
                                workspace: MatMulWorkspace, pool: ThreadPool) {
        precondition(w0.columns == w1.columns && (w2 == nil || w2!.columns == w0.columns),
                     "matrices fed the same input must have the same number of columns")
        precondition((w2 == nil) == (y2 == nil), "w2 and y2 must both be given or both be nil")
        guard tokens > 0 else { return }
        let a0 = prepare(w0, input, xStride, tokens, workspace, pool)
        let a1 = ActivationFormat(weights: w1.format) == ActivationFormat(weights: w0.format)
            ? a0 : prepare(w1, input, xStride, tokens, workspace, pool)
        var a2 = a0
        if let w2 {
            let f2 = ActivationFormat(weights: w2.format)
            a2 = f2 == ActivationFormat(weights: w0.format) ? a0
                : f2 == ActivationFormat(weights: w1.format) ? a1 : prepare(w2, input, xStride, tokens, workspace, pool)
        }
        var task = FusedRowsTask(parts: (RowsTask(w: w0, act: a0, tokens: tokens, y: y0, yStride: yStrides.0),
                                         RowsTask(w: w1, act: a1, tokens: tokens, y: y1, yStride: yStrides.1),
                                         w2.map { RowsTask(w: $0, act: a2, tokens: tokens, y: y2!, yStride: yStrides.2) }))
        let total = task.total, bytes = task.bytes
        withUnsafePointer(to: &task) { context in
            pool.parallelFor(total, granularity: granularity(total, pool), chunksPerThread: chunksPerThread(bytes, pool),
                             context: UnsafeRawPointer(context)) { context, lower, upper in
                context.assumingMemoryBound(to: FusedRowsTask.self).pointee.run(lower..<upper)
            }
        }
    }

    /// Rows of one matrix against all tokens: the context of a pool loop (a closure would allocate per call).
    struct RowsTask {
        let w: WeightMatrix
        let act: ActivationBuffer
        let tokens: Int
        let y: UnsafeMutablePointer<Float>
        let yStride: Int

        /// The matrix's weight bytes.
        var bytes: Int { w.rows * w.rowBytes }

        func run(_ rows: Range<Int>) { MatMul.compute(w, rows, act, tokens, y, yStride) }
    }

    /// The rows of two or three matrices, concatenated: a range of them maps back onto each matrix.
    struct FusedRowsTask {
        let parts: (RowsTask, RowsTask, RowsTask?)

        var total: Int { parts.0.w.rows + parts.1.w.rows + (parts.2?.w.rows ?? 0) }

        /// The weight bytes of all the matrices.
        var bytes: Int { parts.0.bytes + parts.1.bytes + (parts.2?.bytes ?? 0) }

        func run(_ range: Range<Int>) {
            let rows0 = parts.0.w.rows, rows1 = parts.1.w.rows
            Self.run(parts.0, range, offset: 0)
            Self.run(parts.1, range, offset: rows0)
            if let part = parts.2 { Self.run(part, range, offset: rows0 + rows1) }
        }

        /// The part of `range` that falls on `part`'s rows (placed at `offset`), if any.
        private static func run(_ part: RowsTask, _ range: Range<Int>, offset: Int) {
            let own = range.clamped(to: offset..<(offset + part.w.rows))
            if !own.isEmpty { part.run((own.lowerBound - offset)..<(own.upperBound - offset)) }
        }
    }

    /// Large matrices are split into chunks of at least `minimumChunkBytes`, up to 8 per thread, claimed as
    /// threads come free: on a shared machine one thread is often slowed by another process, and with a
    /// single chunk each the others would wait for it at the end of every matrix. Small matrices keep one
    /// chunk per thread, where each extra chunk's setup would cost more than the wait.
    @inline(__always) static func chunksPerThread(_ bytes: Int, _ pool: ThreadPool) -> Int {
        Swift.max(1, Swift.min(8, bytes / (minimumChunkBytes * pool.threadCount)))
    }

    /// 1 MiB: on Llama-3.1-8B at 2 threads, 8 chunks per thread gave 6 % more tokens/s than one (median of six
    /// interleaved pairs); on SmolLM2, where only `lm_head` is that large, no difference beyond the noise.
    static let minimumChunkBytes = 1 << 20

    /// Chunks of 16 rows keep each thread's outputs on whole cache lines.
    @inline(__always) static func granularity(_ rows: Int, _ pool: ThreadPool) -> Int {
        rows >= 16 * pool.threadCount ? 16 : 1
    }

    /// Converts the input to `w`'s activation format in the workspace (in parallel over tokens for large
    /// batches), or views it in place for F32/FP8 weights.
    static func prepare(_ w: WeightMatrix, _ x: UnsafePointer<Float>, _ xStride: Int, _ tokens: Int,
                        _ workspace: MatMulWorkspace, _ pool: ThreadPool) -> ActivationBuffer {
        guard let format = ActivationFormat(weights: w.format), w.supportsMultiply else {
            preconditionFailure(NumericsError.unsupportedFormat(w.format, operation: "MatMul.multiply").description)
        }
        precondition(xStride >= w.columns || tokens == 1, "xStride \(xStride) is shorter than a row of \(w.columns)")
        if format == .f32 {
            return ActivationBuffer(base: UnsafeRawPointer(x), layout: ActivationLayout(tokenStride: 4 * xStride, scaleOffset: 0, sumOffset: 0))
        }
        precondition(tokens <= workspace.maxTokens, "\(tokens) tokens exceed the workspace's \(workspace.maxTokens)")
        precondition(w.columns <= workspace.maxColumns, "\(w.columns) columns exceed the workspace's \(workspace.maxColumns)")
        let layout = format.layout(columns: w.columns, narrow: NativeRows.takesNarrow(format))
        let out = workspace.buffer(for: format)
        let columns = w.columns
        if tokens >= 4 * pool.threadCount && pool.threadCount > 1 {
            pool.parallelFor(tokens) { range in
                for t in range {
                    ActivationQuantizer.quantize(x + t * xStride, columns: columns, format: format, layout: layout,
                                                 into: out + t * layout.tokenStride)
                }
            }
        } else {
            for t in 0..<tokens {
                ActivationQuantizer.quantize(x + t * xStride, columns: columns, format: format, layout: layout,
                                             into: out + t * layout.tokenStride)
            }
        }
        return ActivationBuffer(base: UnsafeRawPointer(out), layout: layout)
    }

    /// Rows `rows` of `w` against all tokens.
    static func compute(_ w: WeightMatrix, _ rows: Range<Int>, _ act: ActivationBuffer, _ tokens: Int,
                        _ y: UnsafeMutablePointer<Float>, _ yStride: Int) {
        if NativeRows.run(w, rows, act, tokens, y, yStride) { return }
        if NativeFloatRows.run(w, rows, act, tokens, y, yStride) { return }
        switch w.format {
        case .q8_0: QuantizedRows.run(Q8_0Dot.self, w, rows, act, tokens, y, yStride)
        case .q4_0: QuantizedRows.run(Q4_0Dot.self, w, rows, act, tokens, y, yStride)
        case .q4_1: QuantizedRows.run(Q4_1Dot.self, w, rows, act, tokens, y, yStride)
        case .q5_0: QuantizedRows.run(Q5_0Dot.self, w, rows, act, tokens, y, yStride)
        case .q5_1: QuantizedRows.run(Q5_1Dot.self, w, rows, act, tokens, y, yStride)
        case .q2_K: QuantizedRows.run(Q2_KDot.self, w, rows, act, tokens, y, yStride)
        case .q3_K: QuantizedRows.run(Q3_KDot.self, w, rows, act, tokens, y, yStride)
        case .q4_K: QuantizedRows.run(Q4_KDot.self, w, rows, act, tokens, y, yStride)
        case .q5_K: QuantizedRows.run(Q5_KDot.self, w, rows, act, tokens, y, yStride)
        case .q6_K: QuantizedRows.run(Q6_KDot.self, w, rows, act, tokens, y, yStride)
        case .f32: FloatRows.run(F32Weights.self, w, rows, act, tokens, y, yStride)
        case .f16: FloatRows.run(F16Weights.self, w, rows, act, tokens, y, yStride)
        case .bf16: FloatRows.run(BF16Weights.self, w, rows, act, tokens, y, yStride)
        case .f8e4m3: FloatRows.run(E4M3Weights.self, w, rows, act, tokens, y, yStride)
        default: preconditionFailure(NumericsError.unsupportedFormat(w.format, operation: "MatMul.multiply").description)
        }
    }
}
