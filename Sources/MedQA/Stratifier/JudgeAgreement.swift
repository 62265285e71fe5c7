import Foundation

/// How often an LLM judge and the classifier agree: counts, the confusion matrix and Cohen's kappa
/// (agreement beyond what the two label shares give by chance).
public struct JudgeAgreement: Sendable, Equatable {
    /// Questions the judge labelled (parsed replies).
    public let compared: Int
    /// Of those, labelled the same by both.
    public let agreed: Int
    /// Replies naming neither split.
    public let unparsed: Int
    /// Compared questions by judge label (rows) and classifier label (columns), both in
    /// `Split.allCases` order: `confusion[0][1]` is judge reasoning, classifier knowledge.
    public let confusion: [[Int]]
    /// Cohen's kappa over the compared questions (0 when undefined: no questions, or both sides
    /// give one label only).
    public let kappa: Double

    /// Compares judge verdicts (nil = unparsed) with classifier splits, question by question.
    public init(judge: [Split?], classifier: [Split]) {
        precondition(judge.count == classifier.count, "one judge verdict per classifier label")
        let splits = Split.allCases
        var matrix = Array(repeating: Array(repeating: 0, count: splits.count), count: splits.count)
        for case let (j?, c) in zip(judge, classifier) {
            matrix[splits.firstIndex(of: j)!][splits.firstIndex(of: c)!] += 1
        }
        let n = matrix.joined().reduce(0, +)
        confusion = matrix
        compared = n
        agreed = splits.indices.map { matrix[$0][$0] }.reduce(0, +)
        unparsed = judge.count - n
        if n == 0 {
            kappa = 0
        } else {
            let observed = Double(agreed) / Double(n)
            let chance = splits.indices.map { i in
                Double(matrix[i].reduce(0, +)) * Double(matrix.map { $0[i] }.reduce(0, +)) / Double(n * n)
            }.reduce(0, +)
            kappa = chance >= 1 ? 0 : (observed - chance) / (1 - chance)
        }
    }

    /// The share of compared questions labelled alike.
    public var rate: Double { compared == 0 ? 0 : Double(agreed) / Double(compared) }

    /// A few lines for a terminal: the counts, % agreement, kappa and the confusion matrix.
    public var summary: String {
        var out = String(format: "judge agrees with the classifier on %d of %d (%.1f%%), Cohen's kappa %.3f, %d unparsed replies\n",
                         agreed, compared, 100 * rate, kappa, unparsed)
        let names = Split.allCases.map(\.rawValue)
        let corner = "judge \\ classifier"
        func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return right ? fill + text : text + fill
        }
        let first = max(corner.count, names.map(\.count).max()!) + 2
        let column = names.map(\.count).max()! + 2
        out += "  " + pad(corner, first) + names.map { pad($0, column, right: true) }.joined() + "\n"
        for (i, name) in names.enumerated() {
            out += "  " + pad(name, first) + confusion[i].map { pad(String($0), column, right: true) }.joined() + "\n"
        }
        return out
    }
}
