import Foundation

/// Speed of `MatMul.multiply` alone, per weight format and kernel instruction set: what `biomed-r1 bench --kernels`
/// prints, so that kernel changes are measured apart from the rest of the engine.
public enum KernelBenchmark {
    /// The instruction set the C kernels use: 0 none (Swift kernels), 1 AVX2, 2 AVX-512 VNNI.
    public static var nativeLevel: Int { NativeRows.level }

    /// Limits the C kernels to `level` (0: Swift kernels only; nil: what the CPU has), for comparisons and tests.
    public static func limitNativeLevel(_ level: Int?) { NativeRows.limit(level) }

    /// Weight bytes × tokens per second of `tokens` tokens × a `rows × columns` matrix of random `format` weights
    /// (best of `repetitions`), on `pool`: memory speed for one token, arithmetic speed for many. `format` must be
    /// one `Quantize` writes, or FP8 E4M3 (random bytes, NaN codes avoided).
    public static func weightBytesPerSecond(_ format: TensorFormat, rows: Int, columns: Int, tokens: Int,
                                            repetitions: Int, pool: ThreadPool) throws -> Double {
        precondition(Quantize.supportedFormats.contains(format) || format == .f8e4m3, "\(format) cannot be quantized here")
        guard let rowBytes = format.rowBytes(columns) else { throw NumericsError.partialBlock(format, columns: columns) }
        let weights = UnsafeMutableRawPointer.allocate(byteCount: rows * rowBytes, alignment: 64)
        defer { weights.deallocate() }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random() -> Float {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(state >> 40) / Float(1 << 23) - 1
        }
        var row = [Float](repeating: 0, count: columns)
        for r in 0..<rows {
            for c in 0..<columns { row[c] = random() }
            if format == .f8e4m3 {
                for c in 0..<columns { weights.storeBytes(of: UInt8(truncatingIfNeeded: row[c].bitPattern) & 0xfe, toByteOffset: r * rowBytes + c, as: UInt8.self) }
            } else {
                Quantize.row(row, count: columns, to: format, into: weights + r * rowBytes)
            }
        }
        let matrix = try WeightMatrix(format: format, rows: rows, columns: columns, base: weights)
        let x = (0..<tokens * columns).map { _ in random() }
        var y = [Float](repeating: 0, count: tokens * rows)
        let workspace = MatMulWorkspace(maxTokens: tokens, maxColumns: columns)
        var best = Double.infinity
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            MatMul.multiply(matrix, input: x, xStride: columns, tokens: tokens, output: &y, yStride: rows,
                            workspace: workspace, pool: pool)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return Double(rows * rowBytes * tokens) / best
    }
}
