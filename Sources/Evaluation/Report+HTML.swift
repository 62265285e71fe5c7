import Foundation

extension Report {
    /// One self-contained HTML page: per run, an SVG bar chart of accuracy by split and mode (bars
    /// per variant, whiskers for the 95 % interval), then the tables. No scripts, fonts or links,
    /// so it opens anywhere and can be mailed as one file.
    public var html: String {
        var body = "<h1>BioMedR1 evaluation report</h1>\n"
        for run in runs {
            body += "<section><h2>Run \(Self.escape(run.name))</h2><p class=meta>model \(Self.escape(run.model)) · identity \(run.id) · \(run.items)/\(run.planned) items</p>\n"
            let sources = splitSources.filter { $0.run == run.name }
            if !sources.isEmpty {
                body += "<p class=meta>" + sources.map { "\(Self.escape($0.benchmark)): \(Self.escape($0.phrase)), \($0.questions) questions" }
                    .joined(separator: "<br>") + "</p>\n"
            }
            let runRows = rows.filter { $0.run == run.name && $0.benchmark == "all" }
            body += Self.chart(runRows, title: "Accuracy by split and mode, all benchmarks")
            body += Self.htmlTable(
                ["benchmark", "split", "mode", "variant", "n", "correct", "unparsed", "accuracy", "95% CI"],
                displayedRows(run: run.name).map { r in
                    [r.benchmark, r.split, r.mode, r.variant, "\(r.total)", "\(r.correct)", "\(r.unparsed)",
                     Self.percent(r.accuracy), "\(Self.percent(r.lower))–\(Self.percent(r.upper))"]
                })
            let runDrops = drops.filter { $0.run == run.name && (hasSeveralBenchmarks(run: run.name) || $0.benchmark != "all") }
            if !runDrops.isEmpty {
                body += "<h3>Adversarial drop (plain − adversarial)</h3>" + Self.htmlTable(
                    ["benchmark", "split", "mode", "variant", "plain", "adversarial", "drop"],
                    runDrops.map { [$0.benchmark, $0.split, $0.mode, $0.variant, Self.percent($0.plain), Self.percent($0.adversarial), String(format: "%+.1f pt", $0.drop * 100)] })
            }
            body += "</section>\n"
        }
        if !comparisons.isEmpty {
            body += "<section><h2>Paired comparison (McNemar, exact)</h2>" + Self.htmlTable(
                ["first", "second", "benchmark", "mode", "variant", "paired", "first acc", "second acc", "only 1st", "only 2nd", "p"],
                comparisons.map { c in
                    [c.first, c.second, c.benchmark, c.mode, c.variant, "\(c.paired)", Self.percent(c.firstAccuracy), Self.percent(c.secondAccuracy),
                     "\(c.onlyFirst)", "\(c.onlySecond)", String(format: "%.4g", c.pValue)]
                }) + "</section>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>BioMedR1 evaluation report</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
        table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:14px}
        th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}td.n{text-align:right}
        th{background:#f0f0f0}.meta{color:#666}svg{display:block;margin:1em 0}
        </style></head><body>
        \(body)</body></html>

        """
    }

    private static let variantColors = ["none": "#3b7dd8", "prefill": "#e0703a", "reconsider": "#8a5cc2"]

    /// A grouped bar chart: one group per split × mode, one bar per variant.
    static func chart(_ rows: [AccuracyRow], title: String) -> String {
        let groups = rows.reduce(into: [String]()) { list, row in
            let g = "\(row.split) · \(row.mode)"
            if !list.contains(g) { list.append(g) }
        }
        let variants = rows.reduce(into: [String]()) { list, row in if !list.contains(row.variant) { list.append(row.variant) } }
        guard !groups.isEmpty else { return "" }
        let barWidth = 36.0, gap = 28.0, left = 50.0, top = 40.0, height = 240.0
        let groupWidth = Double(variants.count) * barWidth + gap
        // Wide enough for the title and the legend even with one group.
        let width = max(560, left + Double(groups.count) * groupWidth + 20)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(top + height + 70))\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<text x=\"\(left)\" y=\"20\" font-size=\"15\" font-weight=\"bold\">\(escape(title))</text>"
        for tick in stride(from: 0, through: 100, by: 25) {
            let y = top + height * (1 - Double(tick) / 100)
            svg += "<line x1=\"\(left)\" x2=\"\(width - 10)\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#ddd\"/><text x=\"\(left - 6)\" y=\"\(y + 4)\" font-size=\"11\" text-anchor=\"end\">\(tick)%</text>"
        }
        for (g, group) in groups.enumerated() {
            let x0 = left + gap / 2 + Double(g) * groupWidth
            for (v, variant) in variants.enumerated() {
                guard let row = rows.first(where: { "\($0.split) · \($0.mode)" == group && $0.variant == variant }) else { continue }
                let x = x0 + Double(v) * barWidth
                let y = top + height * (1 - row.accuracy)
                svg += "<rect x=\"\(x + 2)\" y=\"\(y)\" width=\"\(barWidth - 4)\" height=\"\(top + height - y)\" fill=\"\(variantColors[variant] ?? "#888")\"><title>\(escape(group)) \(variant): \(percent(row.accuracy)) (n=\(row.total))</title></rect>"
                let lo = top + height * (1 - row.lower), hi = top + height * (1 - row.upper), cx = x + barWidth / 2
                svg += "<line x1=\"\(cx)\" x2=\"\(cx)\" y1=\"\(lo)\" y2=\"\(hi)\" stroke=\"#222\"/><line x1=\"\(cx - 5)\" x2=\"\(cx + 5)\" y1=\"\(lo)\" y2=\"\(lo)\" stroke=\"#222\"/><line x1=\"\(cx - 5)\" x2=\"\(cx + 5)\" y1=\"\(hi)\" y2=\"\(hi)\" stroke=\"#222\"/>"
                svg += "<text x=\"\(cx)\" y=\"\(min(y, hi) - 4)\" font-size=\"10\" text-anchor=\"middle\">\(String(format: "%.0f", row.accuracy * 100))</text>"
            }
            // Split above mode, so neighbouring labels never overlap.
            let parts = group.components(separatedBy: " · "), cx = x0 + Double(variants.count) * barWidth / 2
            svg += "<text x=\"\(cx)\" y=\"\(top + height + 16)\" font-size=\"12\" text-anchor=\"middle\">\(escape(parts[0]))<tspan x=\"\(cx)\" dy=\"14\">\(escape(parts.dropFirst().joined()))</tspan></text>"
        }
        var lx = left
        for variant in variants {
            svg += "<rect x=\"\(lx)\" y=\"\(top + height + 44)\" width=\"12\" height=\"12\" fill=\"\(variantColors[variant] ?? "#888")\"/><text x=\"\(lx + 16)\" y=\"\(top + height + 54)\" font-size=\"12\">\(escape(variant == "none" ? "plain" : variant))</text>"
            lx += 110
        }
        return svg + "</svg>\n"
    }

    static func htmlTable(_ header: [String], _ rows: [[String]]) -> String {
        var out = "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for row in rows {
            out += "<tr>" + row.map { cell in
                let numeric = cell.first.map { $0.isNumber || $0 == "+" || $0 == "-" } ?? false
                return numeric ? "<td class=n>\(escape(cell))</td>" : "<td>\(escape(cell))</td>"
            }.joined() + "</tr>"
        }
        return out + "</table>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
