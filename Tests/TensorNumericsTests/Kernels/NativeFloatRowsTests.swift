import CNumerics
@testable import TensorNumerics
import XCTest

/// The BF16 and FP8 C kernels must equal the Swift `FloatRows` bit for bit: every instruction set this CPU has,
/// row widths around every chunk boundary (1…300 and 4096-ish), 1–20 tokens (decode tiles, prefill tiles and their
/// remainders), row counts that leave partial tiles and blocks, one and two threads, and raw random bytes (NaN and
/// infinite weights, FP8 NaN codes in the vector part and in the tail). NaN results need only both be NaN: their
/// sign and payload depend on which NaN operand an FMA meets first.
final class NativeFloatRowsTests: XCTestCase {
    override func tearDown() {
        KernelBenchmark.limitNativeLevel(nil)
        cn_float_rows_allow_vbmi(1)
    }

    private let columnCounts = [1, 15, 16, 17, 63, 64, 65, 100, 127, 128, 129, 200, 255, 300, 4096, 4111, 4160, 14336]

    /// The C variants this CPU can run: instruction-set levels 1…available, and at level 2 the FP8 decode with and
    /// without VBMI where the CPU has it.
    private var variants: [(level: Int, vbmi: Bool)] {
        let available = KernelBenchmark.nativeLevel
        guard available > 0 else { return [] }
        var all = (1...available).map { (level: $0, vbmi: false) }
        KernelBenchmark.limitNativeLevel(nil)
        if cn_float_rows_vbmi() != 0 { all.append((level: available, vbmi: true)) }
        return all
    }

    /// `MatMul.multiply` with the kernels limited to `level` (0: Swift only).
    private func multiply(_ w: WeightMatrix, _ x: [Float], tokens: Int, level: Int, vbmi: Bool = false, threads: Int) -> [Float] {
        KernelBenchmark.limitNativeLevel(level)
        cn_float_rows_allow_vbmi(vbmi ? 1 : 0)
        defer { KernelBenchmark.limitNativeLevel(nil); cn_float_rows_allow_vbmi(1) }
        let yStride = w.rows + 3
        var y = [Float](repeating: .nan, count: tokens * yStride)
        let workspace = MatMulWorkspace(maxTokens: tokens, maxColumns: w.columns)
        MatMul.multiply(w, input: x, xStride: w.columns, tokens: tokens, output: &y, yStride: yStride,
                        workspace: workspace, pool: ThreadPool(threadCount: threads))
        return y
    }

    /// Rows of `format` from random floats (realistic weights) or raw random bytes; FP8 without NaN codes unless
    /// `nanCodes`.
    private func weights(_ format: TensorFormat, rows: Int, columns: Int, raw: Bool, seed: UInt64) -> [UInt8] {
        var random = TestRandom(seed: seed)
        let width = format == .bf16 ? 2 : 1
        var bytes = [UInt8](repeating: 0, count: rows * columns * width)
        for i in 0..<rows * columns {
            if format == .bf16 {
                let bits = raw ? UInt16(random.byte()) << 8 | UInt16(random.byte()) : ScalarConversion.toBF16(random.float() * 0.1)
                bytes[2 * i] = UInt8(bits & 0xff); bytes[2 * i + 1] = UInt8(bits >> 8)
            } else {
                let b = random.byte()
                bytes[i] = raw || b & 0x7f != 0x7f ? b : b & 0xf0
            }
        }
        return bytes
    }

    private func assertSame(_ got: [Float], _ want: [Float], _ message: String) {
        XCTAssertEqual(got.count, want.count, message)
        if let i = want.indices.first(where: { got[$0].bitPattern != want[$0].bitPattern && !(got[$0].isNaN && want[$0].isNaN) }) {
            XCTFail("\(message): first difference at \(i): \(got[i]) vs \(want[i])")
        }
    }

    func testBitIdenticalToSwiftKernels() throws {
        let variants = self.variants
        guard !variants.isEmpty else { throw XCTSkip("no AVX2 on this CPU: the C kernels are never used") }
        for format in [TensorFormat.bf16, .f8e4m3] {
            for columns in columnCounts {
                for raw in [false, true] {
                    let rows = columns > 1000 ? 11 : 37
                    var bytes = weights(format, rows: rows, columns: columns, raw: raw, seed: UInt64(columns))
                    try bytes.withUnsafeMutableBytes { buffer in
                        let w = try WeightMatrix(format: format, rows: rows, columns: columns, base: buffer.baseAddress!)
                        var random = TestRandom(seed: UInt64(7 + columns))
                        let x = (0..<20 * columns).map { _ in random.float() * 4 }
                        for tokens in 1...20 {
                            let input = Array(x.prefix(tokens * columns))
                            let want = multiply(w, input, tokens: tokens, level: 0, threads: 1)
                            for (level, vbmi) in variants {
                                for threads in [1, 2] where threads == 1 || tokens % 4 == 1 {
                                    let got = multiply(w, input, tokens: tokens, level: level, vbmi: vbmi, threads: threads)
                                    assertSame(got, want, "\(format) \(rows)×\(columns) raw \(raw) tokens \(tokens) level \(level) VBMI \(vbmi) threads \(threads)")
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The FP8 kernel scales activations instead of weights where that saves work: the products are the same
    /// exact numbers, so even activations near the float range's ends (tiny, subnormal, huge but below 2^120)
    /// give identical sums.
    func testFP8ActivationScalingIsExactAtTheRangeEnds() throws {
        let variants = self.variants
        guard !variants.isEmpty else { throw XCTSkip("no AVX2 on this CPU: the C kernels are never used") }
        let rows = 8, columns = 256
        var bytes = weights(.f8e4m3, rows: rows, columns: columns, raw: false, seed: 3)
        try bytes.withUnsafeMutableBytes { buffer in
            let w = try WeightMatrix(format: .f8e4m3, rows: rows, columns: columns, base: buffer.baseAddress!)
            var random = TestRandom(seed: 9)
            let magnitudes: [Float] = [1e-40, 1e-30, 1, 1e20, 1e35]
            let x = (0..<columns).map { i in random.float() * magnitudes[i % magnitudes.count] }
            let want = multiply(w, x, tokens: 1, level: 0, threads: 1)
            for (level, vbmi) in variants {
                assertSame(multiply(w, x, tokens: 1, level: level, vbmi: vbmi, threads: 1), want, "level \(level) VBMI \(vbmi)")
            }
        }
    }
}
