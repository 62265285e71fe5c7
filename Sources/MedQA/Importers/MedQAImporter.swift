import Foundation

/// Reads MedQA (USMLE) as its authors publish it (jind11/MedQA, `questions/US/*.jsonl`, and the
/// 4-option variant): `question`, `options` (an object A–E or A–D), `answer` (the text),
/// `answer_idx` (the letter), `meta_info` (the exam step, kept as `source`). Rows have no id.
public enum MedQAImporter {
    /// The questions of `records`.
    public static func questions(_ records: [Record], options: ImportOptions) throws -> [Question] {
        let benchmark = options.benchmark ?? "medqa"
        return try records.map { record in
            let text = try record.nonEmptyString("question")
            let value = try record.value("options")
            guard let dictionary = value as? [String: Any] else {
                throw record.invalid("options", value, "expected an object mapping letters to option texts")
            }
            let choices = try OptionParsing.fromDictionary(dictionary, record: record, field: "options")
            let answer: String
            if record.has("answer_idx") {
                let raw = try record.string("answer_idx")
                guard let letter = OptionParsing.letter(raw) else { throw record.invalid("answer_idx", raw, "expected a letter") }
                answer = try record.checkAnswer(letter, among: choices, field: "answer_idx")
            } else {
                answer = try OptionParsing.answerLetter(try record.string("answer"), options: choices, record: record, field: "answer")
            }
            return Question(
                id: QuestionID.derived(benchmark: benchmark, text: text, options: choices), benchmark: benchmark,
                source: record.optionalString("meta_info"), text: text, options: choices, answer: answer)
        }
    }
}
