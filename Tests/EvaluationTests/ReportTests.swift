import Evaluation
import Foundation
import XCTest

final class ReportTests: XCTestCase {
    /// Run A: 10 medqa questions, even ones reasoning, odd knowledge; plain right on q0…q6,
    /// prefill right on q0…q2, q9 unparsed in plain. Run B: plain right on q0 and q5…q9.
    func makeReport() -> Report {
        var a: [StoredItem] = [], b: [StoredItem] = []
        for i in 0..<10 {
            let split = i % 2 == 0 ? "reasoning" : "knowledge"
            a.append(ItemFactory.item(run: "A", question: "q\(i)", split: split, correct: i <= 6, unparsed: i == 9))
            a.append(ItemFactory.item(run: "A", question: "q\(i)", split: split, variant: "prefill", correct: i <= 2))
            b.append(ItemFactory.item(run: "B", question: "q\(i)", split: split, correct: i == 0 || i >= 5))
        }
        return Report(runs: [(ItemFactory.run("A", name: "smol", planned: 20), a), (ItemFactory.run("B", name: "other", planned: 10), b)])
    }

    func row(_ report: Report, run: String, benchmark: String = "medqa", split: String, variant: String = "none") -> AccuracyRow? {
        report.rows.first { $0.run == run && $0.benchmark == benchmark && $0.split == split && $0.variant == variant }
    }

    func testAccuracyPerSplitWithWilsonIntervalsAndUnparsedCounts() throws {
        let report = makeReport()
        let all = try XCTUnwrap(row(report, run: "smol", split: "all"))
        XCTAssertEqual([all.total, all.correct, all.unparsed], [10, 7, 1])
        XCTAssertEqual(all.accuracy, 0.7, accuracy: 1e-12)
        XCTAssertEqual(all.lower, Statistics.wilson(successes: 7, total: 10).lower, accuracy: 1e-12)
        // Reasoning: q0 q2 q4 q6 right, q8 wrong.
        let reasoning = try XCTUnwrap(row(report, run: "smol", split: "reasoning"))
        XCTAssertEqual([reasoning.total, reasoning.correct], [5, 4])
        let knowledgePrefill = try XCTUnwrap(row(report, run: "smol", split: "knowledge", variant: "prefill"))
        XCTAssertEqual([knowledgePrefill.total, knowledgePrefill.correct], [5, 1])
        XCTAssertNotNil(row(report, run: "smol", benchmark: "all", split: "all", variant: "prefill"))
    }

    func testAdversarialDropIsPlainMinusAdversarial() throws {
        let drop = try XCTUnwrap(makeReport().drops.first { $0.run == "smol" && $0.benchmark == "medqa" && $0.split == "all" })
        XCTAssertEqual(drop.plain, 0.7, accuracy: 1e-12)
        XCTAssertEqual(drop.adversarial, 0.3, accuracy: 1e-12)
        XCTAssertEqual(drop.drop, 0.4, accuracy: 1e-12)
    }

    func testMcNemarOnTheItemsBothRunsAnswered() throws {
        let report = makeReport()
        // Only plain items are paired: run B has no prefill items.
        XCTAssertFalse(report.comparisons.contains { $0.variant == "prefill" })
        let c = try XCTUnwrap(report.comparisons.first { $0.benchmark == "medqa" })
        XCTAssertEqual(c.paired, 10)
        XCTAssertEqual([c.onlyFirst, c.onlySecond], [4, 3])  // A only: q1…q4; B only: q7…q9
        XCTAssertEqual(c.pValue, Statistics.mcNemarExact(onlyFirst: 4, onlySecond: 3), accuracy: 0)
        XCTAssertEqual(c.pValue, 1.0, accuracy: 1e-12)
    }

    func testCSVAndJSONParseBack() throws {
        let report = makeReport()
        let lines = report.csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(lines[0].first, "run")
        XCTAssertEqual(lines.count, report.rows.count + 1)
        XCTAssertTrue(lines.allSatisfy { $0.count == lines[0].count })
        let all = try XCTUnwrap(lines.first { $0[0] == "smol" && $0[1] == "medqa" && $0[2] == "all" && $0[4] == "prefill" })
        XCTAssertEqual(Double(all[8]), 0.3)
        XCTAssertEqual(Double(all[11]), 0.4)
        let decoded = try JSONDecoder().decode(Report.self, from: report.json())
        XCTAssertEqual(decoded, report)
    }

    /// Each benchmark says where its splits came from, in every format.
    func testSplitProvenancePerBenchmark() throws {
        var items: [StoredItem] = []
        for i in 0..<4 {
            items.append(ItemFactory.item(run: "A", question: "q\(i)", split: i < 2 ? "reasoning" : "knowledge", correct: i % 2 == 0))
            items.append(ItemFactory.item(run: "A", question: "q\(i)", split: i < 2 ? "reasoning" : "knowledge", variant: "prefill", correct: false))
            var labelled = ItemFactory.item(run: "A", question: "m\(i)", benchmark: "mmlu-medical", split: i == 0 ? "reasoning" : "knowledge", correct: i == 1)
            labelled.splitSource = "stratifier"
            labelled.splitLabeller = "head, v0123abcd"
            labelled.reasoningProbability = i == 0 ? 0.9 : 0.2
            items.append(labelled)
        }
        items.append(ItemFactory.item(run: "A", question: "x", benchmark: "pubmedqa", split: nil, correct: true))
        let report = Report(runs: [(ItemFactory.run("A", name: "mixed", planned: items.count), items)])
        XCTAssertEqual(report.splitSources.map { [$0.benchmark, $0.phrase, "\($0.questions)"] }, [
            ["medqa", "split from dataset", "4"],
            ["mmlu-medical", "split from stratifier (head, v0123abcd)", "4"],
            ["pubmedqa", "unlabelled", "1"],
        ])
        XCTAssertTrue(report.table.contains("  mmlu-medical: split from stratifier (head, v0123abcd), 4 questions\n"), report.table)
        XCTAssertTrue(report.table.contains("  pubmedqa: unlabelled, 1 question\n"), report.table)
        XCTAssertTrue(report.html.contains("medqa: split from dataset, 4 questions"))
        let reasoning = try XCTUnwrap(row(report, run: "mixed", benchmark: "mmlu-medical", split: "reasoning"))
        XCTAssertEqual([reasoning.total, reasoning.correct], [1, 0])
        XCTAssertEqual(reasoning.splitSource, "stratifier (head, v0123abcd)")
        XCTAssertEqual(try XCTUnwrap(row(report, run: "mixed", benchmark: "all", split: "all")).splitSource,
                       "dataset; stratifier (head, v0123abcd); unlabelled")
        let csv = report.csv.split(separator: "\n")
        XCTAssertTrue(csv[0].hasSuffix(",split_source"))
        XCTAssertTrue(csv.contains { $0.hasPrefix("mixed,mmlu-medical,reasoning,direct,none,1,0,") && $0.hasSuffix(",\"stratifier (head, v0123abcd)\"") })
    }

    func testHTMLIsOneSelfContainedPageWithACharPerRun() {
        let html = makeReport().html
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 2)
        XCTAssertTrue(html.contains("<rect"))
        XCTAssertTrue(html.contains("McNemar"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("http://") && html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
    }

    func testTerminalTableShowsEveryRunAndTheComparison() {
        let table = makeReport().table
        XCTAssertTrue(table.contains("run smol"))
        XCTAssertTrue(table.contains("run other"))
        XCTAssertTrue(table.contains("70.0%"))
        XCTAssertTrue(table.contains("+40.0 pt"))
        XCTAssertTrue(table.contains("paired comparison"))
    }
}
