import CNumerics
@testable import TensorNumerics
import XCTest

/// The C vector math must give the Swift reference's bits: SwiGLU feeds the next 8-bit quantization, where a
/// last-bit difference can flip a rounding.
final class VectorOpsTests: XCTestCase {
    func testSwiGLUEqualsThePortableVersionBitForBit() throws {
        guard cn_has_avx512() != 0 else { throw XCTSkip("no AVX-512 on this CPU: the portable version is the one used") }
        var random = SystemRandomNumberGenerator()
        for count in Array(1...40) + [576, 1536, 1543] {
            for scale: Float in [0.5, 4, 60, 120] {
                var gate = (0..<count).map { _ in Float.random(in: -scale...scale, using: &random) }
                if count > 3 { gate[0] = 0; gate[1] = -0.0; gate[2] = -200 }
                let up = (0..<count).map { _ in Float.random(in: -2...2, using: &random) }
                var native = gate, portable = gate
                native.withUnsafeMutableBufferPointer { VectorOps.swiGLU(gate: $0.baseAddress!, up: up, count: count) }
                portable.withUnsafeMutableBufferPointer { VectorOps.portableSwiGLU(gate: $0.baseAddress!, up: up, count: count) }
                let differing = zip(native, portable).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                XCTAssertEqual(differing, 0, "count \(count), scale \(scale)")
            }
        }
    }

    func testExpEqualsVectorExpBitForBit() throws {
        guard cn_has_avx512() != 0 else { throw XCTSkip("no AVX-512 on this CPU") }
        var x: [Float] = [0, -0.0, .infinity, -.infinity, 88.3, 88.4, -87, -103.9, -104, -150, 200, -200, 1e-30, -1e-30, 5, -5]
        var v: Float = -120
        while v < 95 { x.append(v); v += 0.0173 }
        x.removeLast(x.count % 16)
        var native = [Float](repeating: 0, count: x.count)
        cn_exp_avx512(x, &native, x.count / 16)
        for start in stride(from: 0, to: x.count, by: 16) {
            var lanes = SIMD16<Float>()
            for l in 0..<16 { lanes[l] = x[start + l] }
            let swift = VectorExp.exp(lanes)
            for l in 0..<16 where swift[l].bitPattern != native[start + l].bitPattern {
                XCTFail("exp(\(lanes[l])): Swift \(swift[l]), C \(native[start + l])")
            }
        }
    }
}
