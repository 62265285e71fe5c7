import Foundation

/// Reads PubMedQA's expert-labelled set as published (`ori_pqal.json`, and `test_set.json` of the
/// same shape): an object keyed by PMID, each `{QUESTION, CONTEXTS: [...], LABELS, final_decision}`.
/// The question becomes three options, A yes, B no, C maybe; its text is the abstract's contexts
/// (each headed by its label when `LABELS` gives one) followed by the question.
public enum PubMedQAImporter {
    /// The fixed options of every PubMedQA question.
    public static let options = [Option(letter: "A", text: "yes"), Option(letter: "B", text: "no"), Option(letter: "C", text: "maybe")]

    /// The questions of `records` (one per PMID).
    public static func questions(_ records: [Record], options importOptions: ImportOptions) throws -> [Question] {
        let benchmark = importOptions.benchmark ?? "pubmedqa"
        return try records.map { record in
            let question = try record.nonEmptyString("QUESTION")
            let contextsValue = try record.value("CONTEXTS")
            guard let contexts = contextsValue as? [String] else {
                throw record.invalid("CONTEXTS", contextsValue, "expected a list of texts")
            }
            let labels = (record.fields["LABELS"] as? [String]) ?? []
            let paragraphs = contexts.enumerated().map { index, context in
                index < labels.count && labels.count == contexts.count ? "\(labels[index]): \(context)" : context
            }
            let text = (paragraphs + ["Question: " + question]).joined(separator: "\n\n")
            let decision = try record.string("final_decision")
            guard let answer = options.first(where: { $0.text == decision.trimmingCharacters(in: .whitespaces).lowercased() }) else {
                throw record.invalid("final_decision", decision, "expected yes, no or maybe")
            }
            let id: String
            if case .key(let key, _) = record.location { id = key } else {
                id = record.optionalString("pubid") ?? QuestionID.derived(benchmark: benchmark, text: text, options: options)
            }
            return Question(id: id, benchmark: benchmark, text: text, options: options, answer: answer.letter)
        }
    }
}
