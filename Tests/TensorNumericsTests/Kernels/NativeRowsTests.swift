@testable import TensorNumerics
import XCTest

/// The C kernels must equal the Swift kernels (the ggml-order reference, pinned by `GGMLOrderTests`) bit for bit:
/// every instruction set this CPU has, every tile shape and token count from 1 to 20 and a few beyond (whole 8-token
/// panels, the 16-token groups they are packed in, zero-padded partial panels in a first and a later group; odd row
/// counts for the 4-row tiles), several threads,
/// rows longer than the Int16 activation limit, and raw random quant bytes (-128 included).
final class NativeRowsTests: XCTestCase {
    override func tearDown() { KernelBenchmark.limitNativeLevel(nil) }

    /// `MatMul.multiply` with the kernels limited to `level` (0: Swift only).
    private func multiply(_ m: TestMatrix, _ x: [Float], tokens: Int, level: Int, threads: Int) -> [Float] {
        KernelBenchmark.limitNativeLevel(level)
        defer { KernelBenchmark.limitNativeLevel(nil) }
        let rows = m.matrix.rows, columns = m.matrix.columns, yStride = rows + 3
        var y = [Float](repeating: .nan, count: tokens * yStride)
        let workspace = MatMulWorkspace(maxTokens: tokens, maxColumns: columns)
        MatMul.multiply(m.matrix, input: x, xStride: columns, tokens: tokens, output: &y, yStride: yStride,
                        workspace: workspace, pool: ThreadPool(threadCount: threads))
        return y
    }

    /// Replaces every quant byte (not the f16 scales) with a random byte.
    private func scrambleQuants(_ m: TestMatrix, _ format: TensorFormat, seed: UInt64) {
        var random = TestRandom(seed: seed)
        let scaleBytes = format == .q4_1 ? 4 : 2
        let b = m.bytes.assumingMemoryBound(to: UInt8.self)
        for k in 0..<m.matrix.rows * m.matrix.rowBytes / format.blockBytes {
            for i in scaleBytes..<format.blockBytes { b[k * format.blockBytes + i] = random.byte() }
        }
    }

    func testBitIdenticalToSwiftKernels() throws {
        let available = KernelBenchmark.nativeLevel
        guard available > 0 else { throw XCTSkip("no AVX2 on this CPU: the C kernels are never used") }
        for format in [TensorFormat.q8_0, .q4_0, .q4_1] {
            for (rows, columns) in [(1, 32), (7, 320), (37, 96), (5, 4128), (19, 64)] {
                for scrambled in [false, true] {
                    let m = try TestMatrix(format, rows: rows, columns: columns, seed: UInt64(rows * columns))
                    if scrambled { scrambleQuants(m, format, seed: UInt64(columns)) }
                    var random = TestRandom(seed: 5)
                    for tokens in Array(1...20) + [23, 31, 40] {
                        let x = (0..<tokens * columns).map { _ in random.float() * 4 }
                        let want = multiply(m, x, tokens: tokens, level: 0, threads: 1)
                        for level in 1...available {
                            for threads in [1, 2] {
                                let got = multiply(m, x, tokens: tokens, level: level, threads: threads)
                                XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern),
                                               "\(format) \(rows)×\(columns) scrambled \(scrambled) tokens \(tokens) level \(level) threads \(threads)")
                            }
                        }
                    }
                }
            }
        }
    }

    /// The vectorized q8_0/q8_1 activation quantizer writes the same bytes as the Swift one: values, f16-rounded
    /// scales, sums; an all-zero block, exact halves (ties to even) and negative maxima included.
    func testQuantizerBitIdenticalToSwift() throws {
        let available = KernelBenchmark.nativeLevel
        guard available > 0 else { throw XCTSkip("no AVX2 on this CPU: the C quantizer is never used") }
        let columns = 32 * 40
        var random = TestRandom(seed: 11)
        var x = (0..<columns).map { i in random.float() * Float(1 << (i / 32 % 12)) / 64 }
        for j in 0..<32 { x[j] = 0; x[32 + j] = Float(j) - 15.5; x[64 + j] = j == 5 ? -300 : Float(j) * 0.5 }
        for format in [ActivationFormat.q8_0, .q8_1] {
            let layout = format.layout(columns: columns, narrow: true)
            var bytes: [[UInt8]] = []
            for level in [0, available] {
                KernelBenchmark.limitNativeLevel(level)
                let out = UnsafeMutableRawPointer.allocate(byteCount: layout.tokenStride, alignment: 64)
                defer { out.deallocate() }
                out.initializeMemory(as: UInt8.self, repeating: 0, count: layout.tokenStride)
                ActivationQuantizer.quantize(x, columns: columns, format: format, layout: layout, into: out)
                bytes.append(Array(UnsafeRawBufferPointer(start: out, count: layout.tokenStride)))
            }
            KernelBenchmark.limitNativeLevel(nil)
            XCTAssertEqual(bytes[0], bytes[1], "\(format)")
        }
    }
}
