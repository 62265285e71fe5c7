@testable import TensorNumerics
import XCTest

/// The blocked attention kernels (scores of 4 × 4 pairs, weighted sums of sixteen columns or of four
/// rows from transposed values) must equal the one-pair reference — `VectorOps.dot` and the lane-array
/// weighted sum below, which mirror llama.cpp — bit for bit, on the Swift path and on the C path.
final class AttentionKernelsTests: XCTestCase {
    override func tearDown() { KernelBenchmark.limitNativeLevel(nil) }

    /// Kernel levels to run: 0 (Swift) and what this CPU has.
    private var levels: [Int?] { [0, nil] }

    /// `count` random f16 values (as Float16) in about ±2.
    private func halves(_ count: Int, _ random: inout TestRandom) -> [Float16] {
        (0..<count).map { _ in Float16(random.float() * 2) }
    }

    func testReduceEachEqualsReduce16PerInput() {
        var random = TestRandom(seed: 7)
        for _ in 0..<50 {
            let v = (0..<16).map { _ in SIMD16<Float>((0..<16).map { _ in random.float() * 1000 }) }
            let r = AttentionScores.reduceEach(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7],
                                               v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15])
            for i in 0..<16 { XCTAssertEqual(r[i].bitPattern, VectorOps.reduce16(v[i]).bitPattern, "input \(i)") }
        }
    }

    func testScoreRowsEqualOneDotPerPair() {
        var random = TestRandom(seed: 11)
        for width in [64, 40, 72, 8] {
            let keyStride = width + 24
            let queries = halves(4 * width, &random).map(Float.init)
            let keys = halves(70 * keyStride, &random)
            let scale: Float = 0.125
            for order in [HalfDotOrder.tiled, .vector] {
                for level in levels {
                    KernelBenchmark.limitNativeLevel(level)
                    for keyCount in 1...70 {
                        let stride = (keyCount + 3) / 4 * 4 + 5
                        var scores = [Float](repeating: .nan, count: 4 * stride)
                        AttentionScores.rows(
                            queries: queries, queryStride: width, keys: keys, keyStride: keyStride, keyCount: keyCount,
                            width: width, order: order, scale: scale, scores: &scores, scoreStride: stride)
                        for i in 0..<4 {
                            for p in 0..<keyCount {
                                let expected = queries.withUnsafeBufferPointer { q in
                                    keys.withUnsafeBufferPointer { k in
                                        VectorOps.dot(q.baseAddress! + i * width, k.baseAddress! + p * keyStride,
                                                      count: width, order: order) * scale
                                    }
                                }
                                XCTAssertEqual(scores[i * stride + p].bitPattern, expected.bitPattern,
                                               "width \(width) \(order) level \(String(describing: level)) keys \(keyCount) row \(i) key \(p)")
                            }
                        }
                    }
                }
            }
        }
    }

    /// llama.cpp's order as the engine first wrote it: each product into lane p mod 64 (or 16) of a
    /// lane array, then the lanes reduced as `dot` reduces them.
    private func referenceWeightedSum(
        _ w: [Float], count: Int, values: [Float16], valueStride: Int, width: Int, order: HalfDotOrder
    ) -> [Float] {
        let laneCount = order == .vector ? 64 : 16
        var lanes = [Float](repeating: 0, count: laneCount * width)
        for p in 0..<count {
            for d in 0..<width { lanes[(p % laneCount) * width + d] += w[p] * Float(values[p * valueStride + d]) }
        }
        return (0..<width).map { d in
            func group(_ j: Int) -> SIMD16<Float> { SIMD16((0..<16).map { lanes[(16 * j + $0) * width + d] }) }
            return order == .vector
                ? VectorOps.reduce16((group(0) + group(2)) + (group(1) + group(3)))
                : VectorOps.reduce16(group(0))
        }
    }

    /// Probabilities as the model makes them: exponentials of scores, normalized, rounded to f16.
    private func weights(_ count: Int, _ random: inout TestRandom) -> [Float] {
        var e = (0..<((count + 15) / 16 * 16 + 16)).map { _ in random.float() * 6 }
        let maximum = AttentionSoftmax.maximum(e, count: count)
        let sum = AttentionSoftmax.exponentiate(&e, count: count, maximum: maximum)
        AttentionSoftmax.roundProbabilities(&e, count: count, inverseSum: Float(1 / sum))
        return e
    }

    func testWeightedSumEqualsLaneArrayReference() {
        var random = TestRandom(seed: 13)
        for width in [64, 40, 72, 8] {
            let valueStride = width + 8
            let values = halves(70 * valueStride, &random)
            for count in 1...70 {
                let w = weights(count, &random)
                for order in [HalfDotOrder.tiled, .vector] {
                    var output = [Float](repeating: .nan, count: width)
                    AttentionSoftmax.weightedSum(weights: w, count: count, values: values, valueStride: valueStride,
                                                 width: width, output: &output, order: order)
                    let expected = referenceWeightedSum(w, count: count, values: values, valueStride: valueStride,
                                                        width: width, order: order)
                    XCTAssertEqual(output.map(\.bitPattern), expected.map(\.bitPattern), "width \(width) count \(count) \(order)")
                }
            }
        }
    }

    func testWeightedSumsOfTransposedValuesEqualWeightedSum() {
        var random = TestRandom(seed: 17)
        for width in [64, 40, 72, 8] {
            let valueStride = width + 8
            let values = halves(80 * valueStride, &random)
            for widest in [1, 2, 15, 16, 17, 33, 64, 70] {
                let counts = (widest, max(1, widest - 1), max(1, widest - 2), widest == 1 ? 1 : widest / 2)
                let countList = [counts.0, counts.1, counts.2, counts.3]
                let stride = (widest + 15) / 16 * 16
                let rowStride = stride + 16
                var rows = [Float](repeating: .nan, count: 4 * rowStride)
                for (i, count) in countList.enumerated() {
                    let w = weights(count, &random)
                    for p in 0..<count { rows[i * rowStride + p] = w[p] }
                }
                var transposed = [Float16](repeating: .nan, count: width * stride)
                AttentionSoftmax.transpose(values: values, valueStride: valueStride, count: widest, width: width,
                                           into: &transposed, transposedStride: stride)
                for level in levels {
                    KernelBenchmark.limitNativeLevel(level)
                    var output = [Float](repeating: .nan, count: 4 * width)
                    AttentionSoftmax.weightedSums(
                        weights: rows, weightStride: rowStride, counts: counts, transposedValues: transposed,
                        transposedStride: stride, width: width, output: &output, outputStride: width)
                    for (i, count) in countList.enumerated() {
                        var expected = [Float](repeating: .nan, count: width)
                        rows.withUnsafeBufferPointer { r in
                            AttentionSoftmax.weightedSum(
                                weights: r.baseAddress! + i * rowStride, count: count, values: values,
                                valueStride: valueStride, width: width, output: &expected, order: .tiled)
                        }
                        XCTAssertEqual(Array(output[(i * width)..<((i + 1) * width)]).map(\.bitPattern), expected.map(\.bitPattern),
                                       "width \(width) row \(i) count \(count) level \(String(describing: level))")
                    }
                }
            }
        }
    }

    func testRoundProbabilitiesAndMaximumMatchScalar() {
        var random = TestRandom(seed: 19)
        for count in [1, 15, 16, 17, 40] {
            let e = (0..<count).map { _ in random.float() * 3 }
            var rounded = e
            AttentionSoftmax.roundProbabilities(&rounded, count: count, inverseSum: 0.37)
            XCTAssertEqual(rounded.map(\.bitPattern), e.map { Float(Float16($0 * 0.37)).bitPattern })
            XCTAssertEqual(AttentionSoftmax.maximum(e, count: count), e.max())
        }
    }
}
