import XCTest
@testable import TensorNumerics

final class FloatGEMMTests: XCTestCase {
    /// Every shape class (whole 4×4 tiles, leftover rows and tokens, columns not a multiple of 16)
    /// against a double-precision reference.
    func testMatchesReference() {
        let pool = ThreadPool(threadCount: 2)
        for (rows, columns, tokens) in [(8, 32, 8), (7, 48, 5), (6, 20, 9), (384, 384, 37), (3, 16, 1)] {
            var seed: UInt32 = 12345
            func next() -> Float { seed = seed &* 1664525 &+ 1013904223; return Float(seed >> 8) / Float(1 << 24) - 0.5 }
            let w = (0..<(rows * columns)).map { _ in next() }
            let xStride = columns + 3, yStride = rows + 2
            let x = (0..<(tokens * xStride)).map { _ in next() }
            var y = [Float](repeating: .nan, count: tokens * yStride)
            FloatGEMM.multiply(weights: w, rows: rows, columns: columns, input: x, xStride: xStride, tokens: tokens,
                               output: &y, yStride: yStride, pool: pool)
            for t in 0..<tokens {
                for r in 0..<rows {
                    var ref = 0.0
                    for c in 0..<columns { ref += Double(w[r * columns + c]) * Double(x[t * xStride + c]) }
                    XCTAssertEqual(Double(y[t * yStride + r]), ref, accuracy: 1e-4, "\(rows)×\(columns), token \(t), row \(r)")
                }
            }
        }
    }
}
