import Foundation

/// One line of a labelled set: a question's stratifier text and its human label.
public struct LabelledQuestion: Sendable, Codable, Hashable {
    /// A stable identifier.
    public var id: String
    /// Where it comes from (an MMLU subject, or `authored`).
    public var subject: String?
    /// The text the stratifier sees (`Question.stratifierText`).
    public var text: String
    /// The label.
    public var label: Split

    /// A labelled example.
    public init(id: String, subject: String? = nil, text: String, label: Split) {
        self.id = id
        self.subject = subject
        self.text = text
        self.label = label
    }

    /// Reads a JSONL labelled set (objects with at least `text` and `label`; `id` and `subject` optional).
    public static func load(_ url: URL) throws -> [LabelledQuestion] {
        let content = try String(contentsOf: url, encoding: .utf8)
        var result: [LabelledQuestion] = []
        for (n, line) in content.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw StratifierError.invalidLabelledLine(path: url.path, line: n + 1, reason: "not a JSON object")
            }
            guard let text = object["text"] as? String, !text.isEmpty else {
                throw StratifierError.invalidLabelledLine(path: url.path, line: n + 1, reason: "no \"text\"")
            }
            guard let raw = object["label"] as? String, let label = Split(rawValue: raw) else {
                throw StratifierError.invalidLabelledLine(path: url.path, line: n + 1, reason: "\"label\" is not reasoning/knowledge")
            }
            result.append(LabelledQuestion(id: object["id"] as? String ?? "line-\(n + 1)", subject: object["subject"] as? String,
                                           text: text, label: label))
        }
        return result
    }
}
