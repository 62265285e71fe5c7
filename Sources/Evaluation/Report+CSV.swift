import Foundation

extension Report {
    /// The accuracy rows as CSV (RFC 4180), one line per row, with the adversarial drop where it applies.
    public var csv: String {
        let dropByKey = Dictionary(drops.map { ([$0.run, $0.benchmark, $0.split, $0.mode, $0.variant], $0.drop) }, uniquingKeysWith: { a, _ in a })
        var lines = ["run,benchmark,split,mode,variant,total,correct,unparsed,accuracy,ci_lower,ci_upper,adversarial_drop,split_source"]
        for r in rows {
            let drop = dropByKey[[r.run, r.benchmark, r.split, r.mode, r.variant]].map { String(format: "%.6f", $0) } ?? ""
            let fields = [r.run, r.benchmark, r.split, r.mode, r.variant].map(Self.csvField)
                + ["\(r.total)", "\(r.correct)", "\(r.unparsed)", String(format: "%.6f", r.accuracy),
                   String(format: "%.6f", r.lower), String(format: "%.6f", r.upper), drop, Self.csvField(r.splitSource)]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The whole report as pretty-printed JSON (keys sorted, so diffs are stable).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
