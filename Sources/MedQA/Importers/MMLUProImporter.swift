import Foundation

/// Reads MMLU-Pro (`TIGER-Lab/MMLU-Pro` exported as JSONL or a JSON array): `question_id`,
/// `question`, `options` (a list of up to ten texts, lettered A–J in order), `answer` (the letter),
/// `answer_index` (0-based, checked against `answer`), `category` (kept as `subject`), `src`
/// (kept as `source`).
public enum MMLUProImporter {
    /// The questions of `records`.
    public static func questions(_ records: [Record], options: ImportOptions) throws -> [Question] {
        let benchmark = options.benchmark ?? "mmlu-pro"
        return try records.map { record in
            let text = try record.nonEmptyString("question")
            let value = try record.value("options")
            guard let list = value as? [Any] else { throw record.invalid("options", value, "expected a list of option texts") }
            let texts = try list.map { element -> String in
                if let text = element as? String { return text }
                if let number = element as? NSNumber { return number.stringValue }
                throw record.invalid("options", value, "every option must be text")
            }
            let choices = try OptionParsing.fromList(texts, record: record, field: "options")
            let answer: String
            if record.has("answer"), let letter = OptionParsing.letter(try record.string("answer")) {
                answer = try record.checkAnswer(letter, among: choices, field: "answer")
                if record.has("answer_index") {
                    let index = try record.int("answer_index")
                    guard index >= 0, index < choices.count, choices[index].letter == answer else {
                        throw record.invalid("answer_index", index, "points at a different option than answer \(answer)")
                    }
                }
            } else {
                let index = try record.int("answer_index")
                guard index >= 0, index < choices.count else {
                    throw ImportError.answerNotAmongOptions(file: record.file, location: record.location, field: "answer_index", answer: String(index), letters: choices.map(\.letter))
                }
                answer = choices[index].letter
            }
            let id = record.optionalString("question_id") ?? QuestionID.derived(benchmark: benchmark, text: text, options: choices)
            return Question(
                id: id, benchmark: benchmark, subject: record.optionalString("category"), source: record.optionalString("src"),
                text: text, options: choices, answer: answer)
        }
    }
}
