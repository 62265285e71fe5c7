import Evaluation
import Foundation
import MedQA
import TestSupport
import XCTest

/// `biomed-r1 stratify` and `stratify train`, run as a user runs them, with the tiny committed
/// BertForSequenceClassification so that they take milliseconds.
final class StratifyCommandTests: XCTestCase {
    var tiny: String { TestPaths.fixture("encoder/tiny-bert-classifier").path }

    func run(_ arguments: [String]) throws -> CommandOutput {
        try CommandRunner.run(CommandLineTests.binary, arguments)
    }

    func testLabelsABenchmarkFileWithAClassifierFolder() throws {
        let file = TestPaths.fixture("medqa/anatomy_test.csv").path
        let result = try run(["stratify", "--classifier", tiny, "--threads", "1", file])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 0)
        var reasoning = 0
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let label = object["label"] as! String
            XCTAssertTrue(["reasoning", "knowledge"].contains(label))
            let p = (object["probability"] as! NSNumber).doubleValue
            XCTAssertGreaterThanOrEqual(p, 0.5)
            XCTAssertNotNil(object["id"] as? String)
            if label == "reasoning" { reasoning += 1 }
        }
        XCTAssertTrue(result.stderr.contains("\(lines.count) questions, \(reasoning) reasoning"), result.stderr)
        XCTAssertTrue(result.stderr.contains("% reasoning"))
    }

    /// `--store`: the labels go into an evaluation store's items of those questions; a dataset's
    /// own label stays.
    func testLabelsGoIntoTheEvaluationStore() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stratify-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("r.sqlite").path
        let file = TestPaths.fixture("medqa/anatomy_test.csv").path
        let questions = try BenchmarkFormat.load(URL(fileURLWithPath: file)).questions
        let store = try ResultStore(path: path)
        try store.register(StoredRun(id: "r1", name: "anatomy-run", settingsJSON: "{}", modelName: "m", plannedItems: 3, createdAt: Date()))
        for (i, q) in questions.prefix(3).enumerated() {
            try store.save(StoredItem(
                runID: "r1", benchmark: q.benchmark, questionID: q.id, subject: nil, split: i == 2 ? "reasoning" : nil,
                splitSource: i == 2 ? "dataset" : nil, mode: "direct", variant: "none", promptHash: "p", adversarialLetter: nil,
                answer: q.answer, completion: "Answer: A", extracted: "A", rule: nil, correct: q.answer == "A", unparsed: false,
                promptTokens: 100, completionTokens: 3, latency: 0.1, finishedAt: Date()))
        }
        let result = try run(["stratify", "--classifier", tiny, "--threads", "1", "--store", path, "--run", "anatomy-run", file])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("2 items of run anatomy-run labelled in \(path)"), result.stderr)
        var printed: [String: (String, Double)] = [:]
        for line in result.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            printed[object["id"] as! String] = (object["label"] as! String, (object["reasoningProbability"] as! NSNumber).doubleValue)
        }
        let items = try ResultStore(path: path).items(runID: "r1")
        XCTAssertEqual(items.count, 3)
        for item in items {
            if item.questionID == questions[2].id {
                XCTAssertEqual(item.splitProvenance, "dataset")
                XCTAssertEqual(item.split, "reasoning")
                continue
            }
            let (label, probability) = try XCTUnwrap(printed[item.questionID])
            XCTAssertEqual(item.split, label)
            XCTAssertEqual(item.splitSource, "stratifier")
            XCTAssertEqual(try XCTUnwrap(item.reasoningProbability), probability, accuracy: 1e-12)
            XCTAssertTrue(item.splitLabeller?.hasPrefix("tiny-bert-classifier classifier, v") == true, "\(item.splitLabeller ?? "nil")")
        }
    }

    func testTrainPrintsCrossValidationAndWritesAHead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stratify-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let set = dir.appendingPathComponent("set.jsonl")
        var lines = ""
        for i in 0..<12 {
            let reasoning = i % 2 == 0
            let text = reasoning ? "a patient has a fever and pain and which is the most likely cause \(i)" : "which is the name of the part \(i)"
            lines += "{\"id\": \"q\(i)\", \"subject\": \"s\", \"text\": \"\(text)\", \"label\": \"\(reasoning ? "reasoning" : "knowledge")\"}\n"
        }
        try lines.write(to: set, atomically: true, encoding: .utf8)
        let head = dir.appendingPathComponent("head.json")
        let result = try run(["stratify", "train", set.path, "--encoder", tiny, "--folds", "3", "--threads", "1", "-o", head.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("accuracy"), result.stdout)
        XCTAssertTrue(result.stdout.contains("confusion"))
        XCTAssertTrue(result.stdout.contains("F1 reasoning"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: head)) as! [String: Any]
        XCTAssertEqual(json["dimension"] as? Int, 32)
    }

    func testUnmappedClassifierLabelsFail() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stratify-labels-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: tiny), to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "\"knowledge\"", with: "\"positive\"").replacingOccurrences(of: "\"reasoning\"", with: "\"negative\"")
        try text.write(to: config, atomically: true, encoding: .utf8)
        let result = try run(["stratify", "--classifier", dir.path, TestPaths.fixture("medqa/anatomy_test.csv").path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("reasoning"), result.stderr)
    }

    /// `--judge default`: the embedded SmolLM2 labels too, and the agreement is reported.
    /// Runs SmolLM2 on two prompts (about 30 s per question on a loaded 2-core machine), so it
    /// runs only when BIOMED_R1_SLOW_TESTS is set.
    func testJudgeReportsAgreement() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["BIOMED_R1_SLOW_TESTS"] == nil, "set BIOMED_R1_SLOW_TESTS=1 to run the LLM judge end to end")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stratify-judge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("anatomy_test.csv")
        try "Which bone forms the heel?,Talus,Calcaneus,Cuboid,Navicular,B\nA patient cannot abduct the right eye. Which nerve is damaged?,Oculomotor,Trochlear,Abducens,Facial,C\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try run(["stratify", "--classifier", tiny, "--judge", "default", file.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            XCTAssertNotNil(object["judge"], "every line carries the judge's verdict (null when unparsed)")
            XCTAssertNotNil(object["judgeReply"] as? String)
        }
        XCTAssertTrue(result.stderr.contains("judge agrees with the classifier on"), result.stderr)
        XCTAssertTrue(result.stderr.contains("Cohen's kappa"), result.stderr)
        XCTAssertTrue(result.stderr.contains("judge \\ classifier"), result.stderr)
    }

    /// `--judge URL`: the same through an OpenAI-compatible server, when `$BIOMED_R1_TEST_ENDPOINT` names one.
    func testJudgeOverHTTPReportsAgreement() throws {
        guard let endpoint = ProcessInfo.processInfo.environment["BIOMED_R1_TEST_ENDPOINT"] else {
            throw XCTSkip("set BIOMED_R1_TEST_ENDPOINT to an OpenAI-compatible server's base URL to test --judge URL")
        }
        let result = try run(["stratify", "--classifier", tiny, "--judge", endpoint, "--judge-max-tokens", "8",
                              TestPaths.fixture("medqa/anatomy_test.csv").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 0)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let reply = try XCTUnwrap(object["judgeReply"] as? String)
            XCTAssertEqual(object["judge"] as? String, StratifierJudge.verdict(in: reply)?.rawValue)
        }
        XCTAssertTrue(result.stderr.contains("judge agrees with the classifier on"), result.stderr)
    }
}
