import ArgumentParser
import Evaluation
import Foundation

/// `biomed-r1 report`: tables, charts and comparisons of stored runs.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report stored runs: accuracy with 95% intervals, adversarial drop, paired comparison of two or more runs.")

    @Argument(help: "Runs, by name or identity (prefix); default: the latest run.")
    var runs: [String] = []

    @Option(help: "The result store, an SQLite file.")
    var store: String = "biomed-r1-results.sqlite"

    @Option(help: "Write a self-contained HTML report with SVG charts here.")
    var html: String?

    @Option(help: "Write the accuracy rows as CSV here.")
    var csv: String?

    @Option(help: "Write the whole report as JSON here.")
    var json: String?

    func run() throws {
        guard FileManager.default.fileExists(atPath: store) else {
            throw ValidationError("no result store at \(store); run `biomed-r1 eval` first or pass --store")
        }
        let store = try ResultStore(path: store)
        let chosen = try runs.isEmpty ? Array(store.runs().suffix(1)) : runs.map { try store.run(named: $0) }
        guard !chosen.isEmpty else { throw StoreError.unknownRun(name: "(latest)", known: []) }
        let report = Report(runs: try chosen.map { ($0, try store.items(runID: $0.id)) })
        Terminal.out(report.table)
        if let html { try Data(report.html.utf8).write(to: URL(fileURLWithPath: html)) }
        if let csv { try Data(report.csv.utf8).write(to: URL(fileURLWithPath: csv)) }
        if let json { try report.json().write(to: URL(fileURLWithPath: json)) }
    }
}
