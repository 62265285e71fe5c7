@testable import TensorNumerics
import XCTest

/// The F16 and F32 C kernels must equal `FloatRows` (Swift, the reference order) bit for bit, for every instruction
/// set this CPU has: every row length from 0 to 300 (all remainders of the chunks of 64 and 16) and SmolLM2's 576 and
/// 1536, 1 to 20 tokens (decode, every prefill tile and its remainders), rows not a multiple of the tile.
final class NativeF16RowsTests: XCTestCase {
    override func tearDown() { KernelBenchmark.limitNativeLevel(nil) }

    /// `MatMul.multiply` with the kernels limited to `level` (0: Swift only).
    private func multiply(_ m: TestMatrix, _ x: [Float], xStride: Int, tokens: Int, level: Int, threads: Int,
                          workspace: MatMulWorkspace) -> [Float] {
        KernelBenchmark.limitNativeLevel(level)
        defer { KernelBenchmark.limitNativeLevel(nil) }
        let rows = m.matrix.rows, yStride = rows + 3
        var y = [Float](repeating: .nan, count: tokens * yStride)
        MatMul.multiply(m.matrix, input: x, xStride: xStride, tokens: tokens, output: &y, yStride: yStride,
                        workspace: workspace, pool: ThreadPool(threadCount: threads))
        return y
    }

    /// Random weights with a spread of magnitudes (so that rounding differs between summation orders).
    private func matrix(_ format: TensorFormat, rows: Int, columns: Int, seed: UInt64) throws -> TestMatrix {
        let m = try TestMatrix(format, rows: rows, columns: columns, seed: seed)
        var random = TestRandom(seed: seed &+ 7)
        for i in 0..<rows * columns {
            let v = random.float() * Float(1 << (i % 7)) / 8
            if format == .f16 {
                m.bytes.storeBytes(of: Float16(v).bitPattern, toByteOffset: 2 * i, as: UInt16.self)
            } else {
                m.bytes.storeBytes(of: v, toByteOffset: 4 * i, as: Float.self)
            }
        }
        return m
    }

    private func check(_ format: TensorFormat, columns: [Int], tokens: [Int], rows: Int, threads: [Int]) throws {
        let available = KernelBenchmark.nativeLevel
        guard available > 0 else { throw XCTSkip("no AVX2 on this CPU: the C kernels are never used") }
        for n in columns {
            let m = try matrix(format, rows: rows, columns: n, seed: UInt64(n))
            var random = TestRandom(seed: UInt64(n) &* 31)
            let most = tokens.max()!
            // A stride longer than the row, as the model's activation buffers have.
            let xStride = n + 5
            let x = (0..<most * xStride).map { i in random.float() * Float(1 << (i % 5)) }
            let workspace = MatMulWorkspace(maxTokens: most, maxColumns: max(1, n))
            for count in tokens {
                let want = multiply(m, x, xStride: xStride, tokens: count, level: 0, threads: 1, workspace: workspace)
                XCTAssertFalse(want.enumerated().contains { $0.offset % (rows + 3) < rows && $0.element.isNaN },
                               "reference left outputs unwritten")
                for level in 1...available {
                    for t in threads {
                        let got = multiply(m, x, xStride: xStride, tokens: count, level: level, threads: t, workspace: workspace)
                        XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern),
                                       "\(format) \(rows)×\(n) tokens \(count) level \(level) threads \(t)")
                    }
                }
            }
        }
    }

    func testF16EveryShortRowLength() throws {
        try check(.f16, columns: Array(0...300), tokens: [1, 2, 3, 5, 9], rows: 9, threads: [1])
    }

    func testF16TokenCounts() throws {
        try check(.f16, columns: [64, 80, 131, 576, 1536], tokens: Array(1...20), rows: 13, threads: [1, 2])
    }

    func testF32() throws {
        try check(.f32, columns: Array(0...300).filter { $0 % 7 == 0 || $0 < 20 } + [576, 1536], tokens: [1, 2, 3, 4, 7, 20],
                  rows: 11, threads: [1, 2])
    }

    /// More rows than one cache block and more tokens than one chunk of the prefill loops.
    func testF16LargeBlocks() throws {
        try check(.f16, columns: [576], tokens: [133], rows: 70, threads: [1, 2])
    }
}
