import Foundation

extension Report {
    /// The report as fixed-width text tables for a terminal.
    public var table: String {
        var out = ""
        for run in runs {
            out += "run \(run.name) (\(run.id)) · model \(run.model) · \(run.items)/\(run.planned) items\n"
            for s in splitSources where s.run == run.name {
                out += "  \(s.benchmark): \(s.phrase), \(s.questions) question\(s.questions == 1 ? "" : "s")\n"
            }
            var lines = [["benchmark", "split", "mode", "variant", "n", "correct", "unparsed", "accuracy", "95% CI"]]
            for row in displayedRows(run: run.name) {
                lines.append([row.benchmark, row.split, row.mode, row.variant, "\(row.total)", "\(row.correct)", "\(row.unparsed)",
                              Self.percent(row.accuracy), "\(Self.percent(row.lower))–\(Self.percent(row.upper))"])
            }
            out += Self.align(lines)
            let runDrops = drops.filter { $0.run == run.name && (hasSeveralBenchmarks(run: run.name) || $0.benchmark != "all") }
            if !runDrops.isEmpty {
                var dropLines = [["benchmark", "split", "mode", "variant", "plain", "adversarial", "drop"]]
                for d in runDrops {
                    dropLines.append([d.benchmark, d.split, d.mode, d.variant, Self.percent(d.plain), Self.percent(d.adversarial),
                                      String(format: "%+.1f pt", d.drop * 100)])
                }
                out += "\nadversarial drop (plain − adversarial accuracy)\n" + Self.align(dropLines)
            }
            out += "\n"
        }
        if !comparisons.isEmpty {
            var lines = [["first", "second", "benchmark", "mode", "variant", "paired", "first acc", "second acc", "only 1st", "only 2nd", "McNemar p"]]
            let several = Set(comparisons.map(\.benchmark)).subtracting(["all"]).count > 1
            for c in comparisons where several || c.benchmark != "all" {
                lines.append([c.first, c.second, c.benchmark, c.mode, c.variant, "\(c.paired)", Self.percent(c.firstAccuracy),
                              Self.percent(c.secondAccuracy), "\(c.onlyFirst)", "\(c.onlySecond)", String(format: "%.4g", c.pValue)])
            }
            out += "paired comparison (items both runs answered)\n" + Self.align(lines)
        }
        return out
    }

    /// The rows of `run` for tables: the `all` benchmark totals only when the run has several
    /// benchmarks (with one they repeat its rows).
    func displayedRows(run: String) -> [AccuracyRow] {
        let mine = rows.filter { $0.run == run }
        return hasSeveralBenchmarks(run: run) ? mine : mine.filter { $0.benchmark != "all" }
    }

    /// Whether `run` has items of more than one benchmark.
    func hasSeveralBenchmarks(run: String) -> Bool {
        Set(rows.filter { $0.run == run }.map(\.benchmark)).subtracting(["all"]).count > 1
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    /// Left-aligned text columns, numbers right-aligned, two spaces apart.
    static func align(_ lines: [[String]]) -> String {
        let widths = lines[0].indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { line in
            line.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return cell.first.map { $0.isNumber || $0 == "-" || $0 == "+" } == true ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
