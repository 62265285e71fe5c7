import TensorNumerics
import XCTest

/// The 32-value formats must sum exactly as ggml's x86 `vec_dot` and llamafile's tinyBLAS do, so that
/// quantized models reproduce llama.cpp's logits: checked bit for bit against a scalar emulation of
/// that order written from the block layouts.
final class GGMLOrderTests: XCTestCase {
    private func f16(_ bytes: [UInt8], _ offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8))
    }

    /// ggml's x86 q8_0/q8_1 quantization of one block: (quants, d as stored, s = f16(d·Σq)).
    private func quantize(_ x: ArraySlice<Float>) -> ([Int32], Float, Float) {
        let amax = x.map(abs).max()!
        let d = amax / 127, id: Float = amax != 0 ? 127 / amax : 0
        let q = x.map { Int32(($0 * id).rounded(.toNearestOrEven)) }
        return (q, Float(Float16(d)), Float(Float16(d * Float(q.reduce(0, +)))))
    }

    private func weights(_ row: [UInt8], block b: Int, format: TensorFormat) -> (q: [Int32], d: Float, m: Float) {
        let o = b * format.blockBytes
        switch format {
        case .q8_0:
            return ((0..<32).map { Int32(Int8(bitPattern: row[o + 2 + $0])) }, f16(row, o), 0)
        case .q4_0:
            let q = (0..<32).map { j in Int32(j < 16 ? row[o + 2 + j] & 15 : row[o + 2 + j - 16] >> 4) - 8 }
            return (q, f16(row, o), 0)
        case .q4_1:
            let q = (0..<32).map { j in Int32(j < 16 ? row[o + 4 + j] & 15 : row[o + 4 + j - 16] >> 4) }
            return (q, f16(row, o), f16(row, o + 2))
        default: fatalError()
        }
    }

    private func expected(_ row: [UInt8], _ x: [Float], format: TensorFormat) -> Float {
        var acc = [Float](repeating: 0, count: 8)
        var offsets: Float = 0
        for b in 0..<x.count / 32 {
            let (qx, dx, sx) = quantize(x[b * 32..<(b + 1) * 32])
            let (qw, dw, m) = weights(row, block: b, format: format)
            let scale = dw * dx
            for k in 0..<8 {
                let lane = (4 * k..<4 * k + 4).reduce(Int32(0)) { $0 + qw[$1] * qx[$1] }
                acc[k] = acc[k].addingProduct(Float(lane), scale)
            }
            if format == .q4_1 { offsets = offsets.addingProduct(m, sx) }
        }
        let r = (0..<4).map { acc[$0] + acc[$0 + 4] }
        return (r[0] + r[2]) + (r[1] + r[3]) + offsets
    }

    func testProductsAreBitIdenticalToGGMLOrder() throws {
        for format in [TensorFormat.q8_0, .q4_0, .q4_1] {
            let rows = 7, columns = 320
            let w = try TestMatrix(format, rows: rows, columns: columns, seed: 3)
            var random = TestRandom(seed: 9)
            for tokens in [1, 5] {
                let x = (0..<tokens * columns).map { _ in random.float() * 3 }
                var y = [Float](repeating: .nan, count: tokens * rows)
                for threads in [1, 2] {
                    let pool = ThreadPool(threadCount: threads)
                    let workspace = MatMulWorkspace(maxTokens: 8, maxColumns: columns)
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { yp in
                            MatMul.multiply(w.matrix, input: xp.baseAddress!, xStride: columns, tokens: tokens,
                                            output: yp.baseAddress!, yStride: rows, workspace: workspace, pool: pool)
                        }
                    }
                    for t in 0..<tokens {
                        for r in 0..<rows {
                            let want = expected(w.rowBytes(r), Array(x[t * columns..<(t + 1) * columns]), format: format)
                            XCTAssertEqual(y[t * rows + r].bitPattern, want.bitPattern,
                                           "\(format) tokens \(tokens) threads \(threads) row \(r): \(y[t * rows + r]) vs \(want)")
                        }
                    }
                }
            }
        }
    }
}
