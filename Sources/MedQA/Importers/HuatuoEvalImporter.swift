import Foundation

/// Reads HuatuoGPT-o1's evaluation set (`evaluation/data/eval_data.json`): an object keyed by
/// source (e.g. `MedQA_USLME_test`, `MedMCQA_validation`, `PubMedQA_test`, `MMLU-Pro_Medical_test`,
/// `GPQA_Medical_test`), each a list of `{question, options {A…}, answer_idx, source}`. Each key
/// becomes its own benchmark (unless `ImportOptions.benchmark` names one for all).
public enum HuatuoEvalImporter {
    /// The questions of `records` (each located by its key and index).
    public static func questions(_ records: [Record], options: ImportOptions) throws -> [Question] {
        try records.map { record in
            var key: String?
            if case .key(let name, _) = record.location { key = name }
            let source = record.optionalString("source") ?? key
            let benchmark = options.benchmark ?? key ?? source ?? "huatuo-eval"
            let text = try record.nonEmptyString("question")
            let choices = try OptionParsing.fromDictionaryOrJSONString(record: record, field: "options")
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
                source: source, text: text, options: choices, answer: answer)
        }
    }
}
