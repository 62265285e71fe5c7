/// Accuracy, per-class F1 and the confusion matrix of predictions against targets.
public struct ClassificationMetrics: Sendable, Equatable {
    /// Label names by class index.
    public let labels: [String]
    /// `confusion[actual][predicted]` counts.
    public let confusion: [[Int]]

    /// Tallies predictions (class indices) against targets.
    public init(labels: [String], targets: [Int], predictions: [Int]) {
        self.labels = labels
        var m = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (t, p) in zip(targets, predictions) { m[t][p] += 1 }
        confusion = m
    }

    /// Examples counted.
    public var total: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Share predicted correctly.
    public var accuracy: Double {
        total == 0 ? 0 : Double(labels.indices.reduce(0) { $0 + confusion[$1][$1] }) / Double(total)
    }

    /// F1 of one class (harmonic mean of its precision and recall).
    public func f1(_ c: Int) -> Double {
        let tp = Double(confusion[c][c])
        let predicted = Double(labels.indices.reduce(0) { $0 + confusion[$1][c] })
        let actual = Double(confusion[c].reduce(0, +))
        guard predicted > 0, actual > 0, tp > 0 else { return 0 }
        let precision = tp / predicted, recall = tp / actual
        return 2 * precision * recall / (precision + recall)
    }

    /// The unweighted mean of the classes' F1.
    public var macroF1: Double { labels.indices.map(f1).reduce(0, +) / Double(max(labels.count, 1)) }

    /// A plain-text report: accuracy, F1 per class and the confusion matrix.
    public var report: String {
        var lines = [String(format: "accuracy %.3f  macro-F1 %.3f  (%d examples)", accuracy, macroF1, total)]
        for c in labels.indices { lines.append("  F1 \(labels[c]): " + String(format: "%.3f", f1(c))) }
        let width = max(10, (labels.map(\.count).max() ?? 0) + 2)
        func pad(_ s: String) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
        lines.append("confusion (rows actual, columns predicted):")
        lines.append(pad("") + labels.map(pad).joined())
        for c in labels.indices {
            lines.append(pad(labels[c]) + confusion[c].map { pad(String($0)) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
