import TensorNumerics
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class VectorExpTests: XCTestCase {
    /// Within ggml's stated bound (1.5 ulp) of libm's correctly rounded expf, with the limits right.
    func testAgreesWithLibmWithinTwoUlps() {
        var worst: Float = 0
        var x: Float = -100
        while x < 88 {
            var v = SIMD16<Float>()
            for l in 0..<16 { v[l] = x + Float(l) * 0.0137 }
            let e = VectorExp.exp(v)
            for l in 0..<16 {
                let reference = expf(v[l])
                guard reference.isNormal else { continue }
                worst = max(worst, abs(e[l] - reference) / reference.ulp)
            }
            x += 0.219
        }
        XCTAssertLessThanOrEqual(worst, 2)
        let limits = VectorExp.exp(SIMD16<Float>(-.infinity, 200, -200, 0, .nan, 1, -1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
        XCTAssertEqual(limits[0], 0)
        XCTAssertEqual(limits[1], .infinity)
        XCTAssertEqual(limits[2], 0)
        XCTAssertEqual(limits[3], 1)
        XCTAssertTrue(limits[4].isNaN)
    }
}

final class AttentionSoftmaxTests: XCTestCase {
    func testExponentiateSumsAndZeroesThePadding() {
        let count = 21
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: 32)
        defer { scores.deallocate() }
        for i in 0..<count { scores[i] = Float(i) * 0.25 - 3 }
        let maximum = Float(count - 1) * 0.25 - 3
        let sum = AttentionSoftmax.exponentiate(scores, count: count, maximum: maximum)
        let expected = (0..<count).reduce(0.0) { $0 + Double(expf(Float($1) * 0.25 - 3 - maximum)) }
        XCTAssertEqual(sum, expected, accuracy: 1e-5)
        for i in count..<32 { XCTAssertEqual(scores[i], 0) }
        XCTAssertEqual(scores[count - 1], 1)
    }
}
