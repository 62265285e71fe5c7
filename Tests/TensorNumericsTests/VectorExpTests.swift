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

extension VectorExpTests {
    /// ggml's formula evaluated lane by lane, with the exponent clamp and the selects written out.
    private func scalarExp(_ x: Float) -> Float {
        let shifter: Float = 0x1.8p23
        let z = shifter.addingProduct(x, 0x1.715476p+0)
        let n = z - shifter
        let b = x.addingProduct(-n, 0x1.62e4p-1).addingProduct(-n, 0x1.7f7d1cp-20)
        let u = b * b
        let inner = Float(0x1.573e2ep-5).addingProduct(0x1.0e4020p-7, b)
        let outer = Float(0x1.fffdb6p-2).addingProduct(0x1.555e66p-3, b)
        let low = Float(1).addingProduct(0x1.ffffecp-1, b)
        let j = low.addingProduct(outer.addingProduct(inner, u), u)
        let exponent = min(192, max(-192, Int32(bitPattern: z.bitPattern) &- Int32(bitPattern: shifter.bitPattern)))
        let half = exponent >> 1
        func power(_ e: Int32) -> Float { Float(bitPattern: UInt32(bitPattern: (e + 127) << 23)) }
        if n.isNaN { return .nan }
        if !(abs(n) <= 192) { return n <= 0 ? 0 : .infinity }
        return j * power(half) * power(exponent - half)
    }

    /// The vector code (whose selects and clamp are rewritten for speed) equals the formula lane by
    /// lane, bit for bit, on a sweep of every 4099th float bit pattern (all signs, NaN and infinity too).
    func testEqualsTheScalarFormulaBitForBit() {
        var pattern: UInt64 = 0
        var mismatches = 0
        while pattern < 1 << 32 {
            var v = SIMD16<Float>()
            for l in 0..<16 { v[l] = Float(bitPattern: UInt32(truncatingIfNeeded: pattern + UInt64(l) * 4099)) }
            let e = VectorExp.exp(v)
            for l in 0..<16 where e[l].bitPattern != scalarExp(v[l]).bitPattern { mismatches += 1 }
            pattern += 16 * 4099
        }
        for x: Float in [.infinity, -.infinity, .nan, 0, -0.0, 88.7, 88.8, -103.9, -104, 192 * 0.6931, -192 * 0.6932] {
            XCTAssertEqual(VectorExp.exp(SIMD16(repeating: x))[0].bitPattern, scalarExp(x).bitPattern, "\(x)")
        }
        XCTAssertEqual(mismatches, 0)
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
