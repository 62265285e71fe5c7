import Evaluation
import Foundation
import MedQA
import TestSupport
import XCTest

final class LoadedBenchmarkTests: XCTestCase {
    func testAFileLoadsWithItsHashAndSplitLabels() throws {
        let file = TestPaths.fixture("medqa/biomed-r1-eval/medqa/test-00000-of-00001.jsonl")
        let loaded = try LoadedBenchmark.load(file.path)
        XCTAssertEqual(loaded.questions.count, 3)
        XCTAssertEqual(loaded.identity.fileHash, try FileDigest.sha256(of: file))
        XCTAssertEqual(loaded.identity.fileHash.count, 64)
        XCTAssertTrue(loaded.questions.contains { $0.split != nil })
    }

    func testUnknownNameIsATypedErrorListingTheKnownNames() {
        XCTAssertThrowsError(try LoadedBenchmark.load("medqa-typo")) { error in
            XCTAssertEqual(error as? EvaluationError, .unknownBenchmark("medqa-typo", known: ["mmlu-medical"]))
            XCTAssertTrue("\(error)".contains("mmlu-medical"))
        }
    }

    func testMalformedFileGivesTheImportersErrorWithFileLineAndField() {
        let file = TestPaths.fixture("medqa/bad/biomed-missing-options.jsonl")
        XCTAssertThrowsError(try LoadedBenchmark.load(file.path, format: .bioMedR1Eval)) { error in
            XCTAssertEqual(error as? ImportError, .missingField(file: "biomed-missing-options.jsonl", location: .line(3), field: "options"))
        }
    }

    func testRunIdentityChangesWithEverySetting() {
        let base = RunSettings(model: "m", benchmarks: [BenchmarkIdentity(name: "b", fileHash: "h")], modes: [.direct],
                               variants: [nil, .prefill], seed: 0, limit: 10, maxTokens: 16)
        XCTAssertEqual(base.identity, base.identity)
        XCTAssertEqual(base.identity.count, 16)
        var changed = [RunSettings]()
        var s = base; s.model = "m2"; changed.append(s)
        s = base; s.benchmarks[0].fileHash = "h2"; changed.append(s)
        s = base; s.seed = 1; changed.append(s)
        s = base; s.maxTokens = 17; changed.append(s)
        s = base; s.variants = [nil]; changed.append(s)
        s = base; s.promptHash = "other"; changed.append(s)
        XCTAssertEqual(Set(changed.map(\.identity) + [base.identity]).count, changed.count + 1)
    }
}
