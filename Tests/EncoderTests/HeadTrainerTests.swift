import XCTest
@testable import Encoder

final class HeadTrainerTests: XCTestCase {
    /// Two Gaussian clusters in 8 dimensions, 3:1 imbalanced, from a fixed LCG.
    func clusters(_ n: Int) -> (features: [[Float]], targets: [Int]) {
        var seed: UInt32 = 99
        func noise() -> Float { seed = seed &* 1664525 &+ 1013904223; return Float(seed >> 8) / Float(1 << 24) - 0.5 }
        var features: [[Float]] = [], targets: [Int] = []
        for i in 0..<n {
            let t = i % 4 == 0 ? 1 : 0
            features.append((0..<8).map { j in (t == 1 && j < 2 ? 0.6 : 0) + noise() })
            targets.append(t)
        }
        return (features, targets)
    }

    func testMetricsFromAKnownConfusion() {
        let m = ClassificationMetrics(labels: ["k", "r"], targets: [0, 0, 1, 1], predictions: [0, 1, 1, 1])
        XCTAssertEqual(m.confusion, [[1, 1], [0, 2]])
        XCTAssertEqual(m.accuracy, 0.75)
        XCTAssertEqual(m.f1(1), 0.8, accuracy: 1e-12)    // precision 2/3, recall 1
        XCTAssertEqual(m.f1(0), 2.0 / 3.0, accuracy: 1e-12) // precision 1, recall 1/2
        XCTAssertTrue(m.report.contains("confusion"))
    }

    func testLearnsSeparableClustersAndCrossValidates() throws {
        let (x, y) = clusters(200)
        let trainer = HeadTrainer(l2: 1e-3, iterations: 300, learningRate: 1)
        let metrics = trainer.crossValidate(features: x, targets: y, labels: ["a", "b"], folds: 5)
        XCTAssertEqual(metrics.total, 200)
        XCTAssertGreaterThan(metrics.accuracy, 0.8)
        XCTAssertGreaterThan(metrics.f1(1), 0.6, "the minority class is found (balanced class weights)")
        // Same seed, same folds, same result.
        XCTAssertEqual(trainer.crossValidate(features: x, targets: y, labels: ["a", "b"], folds: 5), metrics)
    }

    func testBalancedWeightsRaiseMinorityRecall() {
        let (x, y) = clusters(200)
        func recall(_ balanced: Bool) -> Double {
            let head = HeadTrainer(l2: 1e-2, iterations: 50, learningRate: 0.5, balanced: balanced)
                .train(features: x, targets: y, labels: ["a", "b"], encoder: "test")
            let predictions = x.map { head.classify($0).label == "b" ? 1 : 0 }
            let m = ClassificationMetrics(labels: ["a", "b"], targets: y, predictions: predictions)
            return Double(m.confusion[1][1]) / Double(m.confusion[1].reduce(0, +))
        }
        XCTAssertGreaterThan(recall(true), recall(false))
    }

    func testHeadFileRoundTripAndValidation() throws {
        let head = LinearHead(labels: ["k", "r"], weights: [1, 2, 3, 4, 5, 6], bias: [0.5, -0.5], dimension: 3, encoder: "e")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("head-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try head.write(to: url)
        XCTAssertEqual(try LinearHead(contentsOf: url), head)
        XCTAssertEqual(head.logits([1, 0, -1]), [0.5 + 1 - 3, -0.5 + 4 - 6])
        try Data(#"{"labels":["k","r"],"weights":[1],"bias":[0,0],"dimension":3,"encoder":"e","notes":{}}"#.utf8).write(to: url)
        XCTAssertThrowsError(try LinearHead(contentsOf: url)) { error in
            guard case .invalidHead? = error as? EncoderError else { return XCTFail("\(error)") }
        }
    }
}
