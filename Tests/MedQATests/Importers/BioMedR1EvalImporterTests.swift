import MedQA
import XCTest

final class BioMedR1EvalImporterTests: XCTestCase {
    func testReadsJSONLConfigWithDatasetSplits() throws {
        let url = fixture("biomed-r1-eval/medqa/test-00000-of-00001.jsonl")
        XCTAssertEqual(try BenchmarkFormat.detect(url), .bioMedR1Eval)
        let imported = try BenchmarkFormat.load(url)
        XCTAssertEqual(imported.questions.count, 3)
        let first = imported.questions[0]
        XCTAssertEqual(first.benchmark, "medqa", "the config folder names the benchmark")
        XCTAssertEqual(first.id, "medqa-0001")
        XCTAssertEqual(first.letters, ["A", "B", "C", "D"])
        XCTAssertEqual(first.answer, "B")
        XCTAssertEqual(first.split, .reasoning)
        XCTAssertEqual(first.splitSource, .dataset)
        XCTAssertEqual(first.reasoningProbability ?? 0, 0.81, accuracy: 1e-9)
        XCTAssertEqual(imported.questions[1].split, .knowledge)
        XCTAssertEqual(imported.questions[1].answer, "C", "answer given as a letter agrees with answer_idx")
        XCTAssertEqual(imported.questions[2].options.count, 5)
    }

    func testReadsJSONArrayWithOptionObjectsAndDerivesIDs() throws {
        let imported = try BenchmarkFormat.load(fixture("biomed-r1-eval/NEJM.json"))
        XCTAssertEqual(imported.format, .bioMedR1Eval)
        XCTAssertEqual(imported.questions.map(\.benchmark), ["NEJM", "NEJM"])
        XCTAssertTrue(imported.questions[0].id.hasPrefix("h"))
        let again = try BenchmarkFormat.load(fixture("biomed-r1-eval/NEJM.json"))
        XCTAssertEqual(again.questions.map(\.id), imported.questions.map(\.id), "derived ids are stable across reads")
    }

    func testAnswerLetterNotAmongOptionsNamesLineAndField() {
        let error = importError { try BenchmarkFormat.load(fixture("bad/biomed-answer-not-option.jsonl"), format: .bioMedR1Eval) }
        XCTAssertEqual(error, .answerNotAmongOptions(
            file: "biomed-answer-not-option.jsonl", location: .line(2), field: "answer_idx", answer: "F", letters: ["A", "B", "C", "D"]))
    }

    func testMissingOptionsNamesLineAndField() {
        let error = importError { try BenchmarkFormat.load(fixture("bad/biomed-missing-options.jsonl"), format: .bioMedR1Eval) }
        XCTAssertEqual(error, .missingField(file: "biomed-missing-options.jsonl", location: .line(3), field: "options"))
    }

    func testBadJSONNamesTheLine() {
        let error = importError { try BenchmarkFormat.load(fixture("bad/biomed-bad-json-line17.jsonl"), format: .bioMedR1Eval) }
        guard case .malformed(let file, let location, _)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(file, "biomed-bad-json-line17.jsonl")
        XCTAssertEqual(location, .line(17))
        XCTAssertTrue(error!.description.contains("line 17"))
    }

    func testAnswerTextOfAnotherOptionIsAContradiction() {
        let error = importError { try BenchmarkFormat.load(fixture("bad/biomed-contradicting-answer.jsonl"), format: .bioMedR1Eval) }
        guard case .invalidField(_, .line(1), "answer", "Amiodarone", _)? = error else { return XCTFail("\(String(describing: error))") }
    }
}
