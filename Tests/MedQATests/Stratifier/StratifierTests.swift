import Encoder
import Foundation
import TestSupport
import XCTest
@testable import MedQA

final class StratifierTests: XCTestCase {
    var labelledSet: URL { TestPaths.repositoryRoot.appendingPathComponent("Data/stratifier/labelled.jsonl") }
    var tinyClassifier: URL { TestPaths.fixture("encoder/tiny-bert-classifier") }

    func testLabelledSetIsLargeAndBalancedEnough() throws {
        let set = try LabelledQuestion.load(labelledSet)
        XCTAssertGreaterThanOrEqual(set.count, 400)
        XCTAssertEqual(Set(set.map(\.id)).count, set.count, "ids are unique")
        let reasoning = set.filter { $0.label == .reasoning }.count
        XCTAssertGreaterThan(reasoning, 80)
        XCTAssertGreaterThan(set.count - reasoning, 80)
        XCTAssertTrue(set.allSatisfy { $0.subject != nil })
    }

    func testMalformedLabelledLineIsTypedError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try "{\"text\": \"a\", \"label\": \"reasoning\"}\n{\"text\": \"b\", \"label\": \"maybe\"}\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LabelledQuestion.load(url)) { error in
            guard case .invalidLabelledLine(_, let line, _)? = error as? StratifierError else { return XCTFail("\(error)") }
            XCTAssertEqual(line, 2)
        }
    }

    func testDefaultHeadIsTrainedForMiniLM() throws {
        let head = try DefaultStratifierHead.head()
        XCTAssertEqual(head.dimension, 384)
        XCTAssertEqual(head.labels, ["knowledge", "reasoning"])
        XCTAssertEqual(head.weights.count, 768)
        XCTAssertGreaterThan(Double(head.notes["cvAccuracy"] ?? "0") ?? 0, 0.8)
    }

    func testClassifierFolderGivesTransformersProbabilities() throws {
        let stratifier = try Stratifier(classifierFolder: tinyClassifier)
        let golden = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.fixture("encoder/tiny-bert-logits.json"))) as! [String: Any]
        let c = (golden["cases"] as! [[String: Any]])[4]
        let p = stratifier.reasoningProbabilities([c["text"] as! String])[0]
        XCTAssertEqual(p, (c["probabilities"] as! [NSNumber])[1].doubleValue, accuracy: 1e-5, "id2label names index 1 reasoning")
    }

    func testApplyLabelsOnlyQuestionsWithoutDatasetSplit() throws {
        let stratifier = try Stratifier(classifierFolder: tinyClassifier)
        var questions = [
            Question(id: "1", benchmark: "b", text: "Which nerve innervates the deltoid?", options: [Option(letter: "A", text: "Axillary"), Option(letter: "B", text: "Radial")], answer: "A"),
            Question(id: "2", benchmark: "b", text: "A 60-year-old man has chest pain.", options: [Option(letter: "A", text: "MI"), Option(letter: "B", text: "GERD")], answer: "A",
                     split: .knowledge, splitSource: .dataset),
        ]
        let expected = stratifier.label([questions[0]])[0]
        stratifier.apply(to: &questions)
        XCTAssertEqual(questions[0].splitSource, .stratifier)
        XCTAssertEqual(questions[0].split, expected.split)
        XCTAssertEqual(questions[0].reasoningProbability, expected.reasoningProbability)
        XCTAssertEqual(questions[1].splitSource, .dataset, "a dataset's own label wins")
        XCTAssertEqual(questions[1].split, .knowledge)
        XCTAssertNil(questions[1].reasoningProbability)
    }

    func testLabelMapping() throws {
        XCTAssertEqual(try Stratifier.reasoningIndex(["Knowledge-heavy", "Reasoning-heavy"]), 1)
        XCTAssertEqual(try Stratifier.reasoningIndex(["reasoning", "knowledge"]), 0)
        XCTAssertEqual(try Stratifier.reasoningIndex(["LABEL_0", "LABEL_1"]), 1)
        XCTAssertThrowsError(try Stratifier.reasoningIndex(["positive", "negative"]))
    }

    /// The embedded default (MiniLM + committed head) on questions of each kind.
    func testEmbeddedDefaultSeparatesObviousCases() throws {
        let stratifier = try Stratifier.embeddedDefault()
        let vignette = Question(id: "v", benchmark: "t", text: "A 58-year-old man comes to the emergency department because of crushing chest pain for 2 hours. His pulse is 120/min and blood pressure is 85/50 mm Hg. An ECG shows ST elevations in leads II, III and aVF. Which of the following is the most appropriate next step in management?",
                                options: [Option(letter: "A", text: "Percutaneous coronary intervention"), Option(letter: "B", text: "Oral nitroglycerin"), Option(letter: "C", text: "Exercise stress test"), Option(letter: "D", text: "Discharge home")], answer: "A")
        let recall = Question(id: "k", benchmark: "t", text: "Which of the following bones is part of the pectoral girdle?",
                              options: [Option(letter: "A", text: "Clavicle"), Option(letter: "B", text: "Femur"), Option(letter: "C", text: "Sternum"), Option(letter: "D", text: "Ilium")], answer: "A")
        let labels = stratifier.label([vignette, recall])
        XCTAssertEqual(labels[0].split, .reasoning)
        XCTAssertEqual(labels[1].split, .knowledge)
    }
}
