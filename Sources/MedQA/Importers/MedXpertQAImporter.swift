import Foundation

/// Reads MedXpertQA's text set (`TsinghuaC3I/MedXpertQA`, `Text/test.jsonl`): `id`, `question`,
/// `options` (an object A–J), `label` (the letter), `medical_task`, `body_system`, `question_type`.
///
/// The published `question` already ends with the choices ("Answer Choices: (A) … (B) …"); since
/// the prompt lists the options itself, that trailing block is cut from the stem so the model does
/// not see them twice. `body_system` is kept as `subject`.
public enum MedXpertQAImporter {
    /// The questions of `records`.
    public static func questions(_ records: [Record], options: ImportOptions) throws -> [Question] {
        let benchmark = options.benchmark ?? "medxpertqa"
        return try records.map { record in
            let stem = stripAnswerChoices(try record.nonEmptyString("question"))
            let value = try record.value("options")
            guard let dictionary = value as? [String: Any] else {
                throw record.invalid("options", value, "expected an object mapping letters to option texts")
            }
            let choices = try OptionParsing.fromDictionary(dictionary, record: record, field: "options")
            let raw = try record.string("label")
            guard let letter = OptionParsing.letter(raw) else { throw record.invalid("label", raw, "expected a letter") }
            let id = record.optionalString("id") ?? QuestionID.derived(benchmark: benchmark, text: stem, options: choices)
            return Question(
                id: id, benchmark: benchmark, subject: record.optionalString("body_system"), text: stem, options: choices,
                answer: try record.checkAnswer(letter, among: choices, field: "label"))
        }
    }

    /// The stem without a trailing "Answer Choices: (A) …" block.
    static func stripAnswerChoices(_ text: String) -> String {
        guard let range = text.range(of: "Answer Choices:", options: .backwards) else { return text }
        let stem = text[..<range.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        return stem.isEmpty ? text : stem
    }
}
