import Evaluation
import Foundation
import TestSupport
import XCTest

/// The statistics against values scipy computed once (`scripts/make-statistics-goldens.py`).
final class StatisticsTests: XCTestCase {
    struct Goldens: Decodable {
        struct Wilson: Decodable { var successes: Int, total: Int, lower: Double, upper: Double }
        struct McNemar: Decodable { var onlyFirst: Int, onlySecond: Int, p: Double }
        struct Bootstrap: Decodable { var values: [Double], resamples: Int, seed: UInt64, lower: Double, upper: Double }
        var wilson: [Wilson]
        var mcnemar: [McNemar]
        var bootstrap: [Bootstrap]
    }

    let goldens: Goldens = try! JSONDecoder().decode(
        Goldens.self, from: Data(contentsOf: TestPaths.fixture("evaluation/statistics-goldens.json")))

    func testWilsonMatchesScipy() {
        XCTAssertGreaterThan(goldens.wilson.count, 5)
        for g in goldens.wilson {
            let ci = Statistics.wilson(successes: g.successes, total: g.total)
            XCTAssertEqual(ci.lower, g.lower, accuracy: 1e-12, "\(g.successes)/\(g.total)")
            XCTAssertEqual(ci.upper, g.upper, accuracy: 1e-12, "\(g.successes)/\(g.total)")
        }
    }

    func testMcNemarExactMatchesScipyBinomtest() {
        for g in goldens.mcnemar {
            let p = Statistics.mcNemarExact(onlyFirst: g.onlyFirst, onlySecond: g.onlySecond)
            XCTAssertEqual(p, g.p, accuracy: 1e-10 + 1e-9 * g.p, "\(g.onlyFirst) vs \(g.onlySecond)")
        }
    }

    func testBootstrapMatchesTheSameDrawsInNumpy() {
        for g in goldens.bootstrap {
            let ci = Statistics.bootstrap(g.values, resamples: g.resamples, seed: g.seed)
            XCTAssertEqual(ci.lower, g.lower, accuracy: 1e-12)
            XCTAssertEqual(ci.upper, g.upper, accuracy: 1e-12)
        }
    }

    func testBootstrapIsSeededAndBracketsTheMean() {
        let values = (0..<80).map { $0 % 3 == 0 ? 1.0 : 0.0 }
        let a = Statistics.bootstrap(values, resamples: 400, seed: 3)
        XCTAssertEqual(a, Statistics.bootstrap(values, resamples: 400, seed: 3))
        XCTAssertNotEqual(a, Statistics.bootstrap(values, resamples: 400, seed: 4))
        let mean = values.reduce(0, +) / Double(values.count)
        XCTAssertLessThan(a.lower, mean)
        XCTAssertGreaterThan(a.upper, mean)
    }
}
