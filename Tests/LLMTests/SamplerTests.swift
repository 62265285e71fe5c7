import LLM
import XCTest

final class SamplerTests: XCTestCase {
    private func sample(_ logits: [Float], _ parameters: SamplingParameters, history: [Int32] = []) -> Int32 {
        var sampler = Sampler(parameters: parameters)
        history.forEach { sampler.accept($0) }
        var copy = logits
        return copy.withUnsafeMutableBufferPointer { sampler.sample($0) }
    }

    func testGreedyPicksTheFirstMaximum() {
        XCTAssertEqual(sample([0.1, 3, -2, 3, 1], .greedy), 1)
    }

    func testRepeatPenaltyCanChangeTheGreedyChoice() {
        var p = SamplingParameters.greedy
        p.repeatPenalty = 2
        XCTAssertEqual(sample([1, 3, 2.5], p, history: [1]), 2)
        XCTAssertEqual(sample([1, 3, 2.5], p, history: [0]), 1)
        // Negative logits are pushed further down, not up.
        XCTAssertEqual(sample([-1, -3, -1.5], p, history: [0]), 2)
    }

    func testTopKOneIsGreedy() {
        var p = SamplingParameters(seed: 42)
        p.topK = 1
        p.temperature = 5
        for seed in 0..<20 {
            p.seed = UInt64(seed)
            XCTAssertEqual(sample([0, 1, 0.9, 0.95], p), 1)
        }
    }

    func testMinPAndTopPCutTheTail() {
        var p = SamplingParameters(seed: 1)
        p.topK = 0
        p.minP = 0.5
        p.topP = 1
        p.temperature = 1
        // Token 2 has probability far below half of token 0's: never drawn.
        let logits: [Float] = [2, 1.9, -5]
        let draws = (0..<200).map { seed -> Int32 in
            p.seed = UInt64(seed)
            return sample(logits, p)
        }
        XCTAssertFalse(draws.contains(2))
        XCTAssertTrue(draws.contains(0) && draws.contains(1))
        p.minP = 0
        p.topP = 0.3
        XCTAssertTrue((0..<50).allSatisfy { seed in p.seed = UInt64(seed); return sample(logits, p) == 0 })
    }

    func testSameSeedSameDrawsAndTheDistributionIsRight() {
        var p = SamplingParameters(seed: 9)
        p.topK = 0
        p.topP = 1
        p.minP = 0
        p.temperature = 1
        var sampler = Sampler(parameters: p)
        var again = Sampler(parameters: p)
        let logits: [Float] = [log(0.5), log(0.3), log(0.2)]
        var counts = [0, 0, 0]
        for _ in 0..<6000 {
            var a = logits, b = logits
            let x = a.withUnsafeMutableBufferPointer { sampler.sample($0) }
            let y = b.withUnsafeMutableBufferPointer { again.sample($0) }
            XCTAssertEqual(x, y)
            counts[Int(x)] += 1
        }
        XCTAssertEqual(Double(counts[0]) / 6000, 0.5, accuracy: 0.03)
        XCTAssertEqual(Double(counts[1]) / 6000, 0.3, accuracy: 0.03)
        XCTAssertEqual(Double(counts[2]) / 6000, 0.2, accuracy: 0.03)
    }
}

final class SamplerTopKTests: XCTestCase {
    /// With top-k the draws come only from the k largest logits, for both selection paths.
    func testTopKKeepsExactlyTheLargest() {
        var random = Xoshiro256(seed: 5)
        let logits = (0..<1000).map { _ in random.nextUnitFloat() * 10 }
        for k in [3, 200] {
            let allowed = Set(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(k).map(Int32.init))
            var p = SamplingParameters(seed: 0)
            p.topK = k
            p.topP = 1
            p.minP = 0
            p.temperature = 50
            var seen = Set<Int32>()
            for seed in 0..<400 {
                p.seed = UInt64(seed)
                var sampler = Sampler(parameters: p)
                var copy = logits
                let id = copy.withUnsafeMutableBufferPointer { sampler.sample($0) }
                XCTAssertTrue(allowed.contains(id), "k=\(k): drew \(id)")
                seen.insert(id)
            }
            XCTAssertGreaterThan(seen.count, min(k, 3) - 1)
        }
    }
}
