import Evaluation
import Foundation
import TestSupport
import XCTest

/// `biomed-r1 eval` and `report` run as a user runs them, including a kill in the middle of a run.
final class EvalCommandTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("eval-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    typealias Output = CommandOutput

    func start(_ arguments: [String]) throws -> (Process, out: URL, err: URL) {
        let (process, out, err) = try CommandRunner.start(CommandLineTests.binary, arguments, in: directory)
        return (process, out, err)
    }

    func run(_ arguments: [String]) throws -> Output {
        try CommandRunner.run(CommandLineTests.binary, arguments)
    }

    func testKilledRunResumesLosingNothingAndRepeatingNothing() throws {
        let store = directory.appendingPathComponent("results.sqlite").path
        let model = try TestPaths.defaultModel().path
        let arguments = ["eval", "--model", model, "--benchmark", "mmlu-medical", "--limit", "10", "--adversarial", "none",
                         "--max-tokens", "4", "--store", store, "--run", "resume-test"]
        let (process, _, err) = try start(arguments)
        // Kill it with SIGKILL (no chance to clean up) once a few items are committed.
        var before: [StoredItem] = []
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline, process.isRunning {
            if FileManager.default.fileExists(atPath: store), let reader = try? ResultStore(path: store),
               let run = try? reader.runs().first, let items = try? reader.items(runID: run.id), items.count >= 2 {
                kill(process.processIdentifier, SIGKILL)
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.waitUntilExit()
        let log = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, log)
        let reader = try ResultStore(path: store)
        let run = try reader.run(named: "resume-test")
        before = try reader.items(runID: run.id)
        XCTAssertGreaterThanOrEqual(before.count, 2)
        XCTAssertLessThan(before.count, 10)

        let resumed = try self.run(arguments)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming: \(before.count) of 10 items"), resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("mmlu-medical"), resumed.stdout)
        let after = try reader.items(runID: run.id)
        XCTAssertEqual(after.count, 10)
        XCTAssertEqual(Set(after.map(\.itemKey)).count, 10)
        for item in before { XCTAssertTrue(after.contains(item), "stored row changed: \(item.questionID)") }
        XCTAssertEqual(try reader.runs().count, 1)

        // The report of that run, in every format.
        let html = directory.appendingPathComponent("r.html"), csv = directory.appendingPathComponent("r.csv")
        let json = directory.appendingPathComponent("r.json")
        let report = try self.run(["report", "resume-test", "--store", store, "--html", html.path, "--csv", csv.path, "--json", json.path])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("run resume-test"))
        // MMLU has no is_reasoning: the embedded stratifier split it, and the report says so.
        XCTAssertTrue(report.stdout.contains("mmlu-medical: split from stratifier (all-MiniLM-L6-v2 mean+L2 + linear head, v"), report.stdout)
        XCTAssertTrue(after.allSatisfy { $0.splitSource == "stratifier" && $0.reasoningProbability != nil }, "\(after.map(\.splitProvenance))")
        let decoded = try JSONDecoder().decode(Report.self, from: Data(contentsOf: json))
        let total = try XCTUnwrap(decoded.rows.first { $0.benchmark == "all" && $0.split == "all" })
        XCTAssertEqual(total.total, 10)
        XCTAssertEqual(total.correct, after.filter(\.correct).count)
        let csvLines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csvLines.count, decoded.rows.count + 1)
        XCTAssertTrue(try String(contentsOf: html, encoding: .utf8).contains("<svg"))
    }

    func testUnknownBenchmarkNameIsAnErrorNamingTheKnownOnes() throws {
        let r = try run(["eval", "--benchmark", "medqa-typo", "--store", directory.appendingPathComponent("s.sqlite").path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("'medqa-typo' is neither a benchmark file nor a known benchmark name"), r.stderr)
        XCTAssertTrue(r.stderr.contains("mmlu-medical"), r.stderr)
    }

    func testMalformedBenchmarkFileNamesFileLineAndField() throws {
        let r = try run(["eval", "--benchmark", TestPaths.fixture("medqa/bad/biomed-missing-options.jsonl").path,
                         "--format", "biomed-r1-eval", "--store", directory.appendingPathComponent("s.sqlite").path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("biomed-missing-options.jsonl"), r.stderr)
        XCTAssertTrue(r.stderr.contains("line 3"), r.stderr)
        XCTAssertTrue(r.stderr.contains("options"), r.stderr)
    }

    func testAStoreThatIsNotSQLiteIsRefused() throws {
        let notes = directory.appendingPathComponent("notes.txt")
        try Data("not a database".utf8).write(to: notes)
        let r = try run(["report", "--store", notes.path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("not an SQLite database"), r.stderr)
        XCTAssertEqual(try String(contentsOf: notes, encoding: .utf8), "not a database")
    }
}
