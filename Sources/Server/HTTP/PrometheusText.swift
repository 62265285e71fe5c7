/// Prometheus' text exposition format (version 0.0.4): `# HELP`, `# TYPE`, then samples.
struct PrometheusText {
    private(set) var output = ""

    /// Appends one metric family; each sample is (labels without braces, value).
    mutating func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
        output += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        for sample in samples {
            output += sample.labels.isEmpty ? name : "\(name){\(sample.labels)}"
            output += " \(Self.format(sample.value))\n"
        }
    }

    /// A label value with `\`, `"` and newlines escaped.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
