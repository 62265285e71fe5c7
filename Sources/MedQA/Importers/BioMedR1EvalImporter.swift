import Foundation

/// Reads `zou-lab/BioMed-R1-Eval` rows (one config per benchmark: medqa, medmcqa, pubmedqa,
/// mmlu_health_biology, GPQA_Medical_test, Lancet, NEJM, medbullets_op4, medbullets_op5,
/// MedXpertQA, hle_biomed), exported as a JSON array or JSONL.
///
/// Fields: `question`; `options`, a JSON *string* of an object mapping letters to texts (an object
/// is accepted too); `answer_idx`, the letter; `answer`, the answer's text or letter;
/// `is_reasoning` (the paper's label, so `split` comes from the dataset); optional `id`,
/// `dataset_name` (kept as `source`) and `reasoning_prob`.
///
/// The letter is `answer_idx`. `answer` is checked against it: a letter must equal it, and a text
/// that is exactly another option's text is a contradiction and an error. A text that matches no
/// option is accepted, since the dataset sometimes words the answer differently from the option.
/// Without `answer_idx`, the letter comes from `answer`.
public enum BioMedR1EvalImporter {
    /// The questions of `records`; `file` names the benchmark when `options.benchmark` is nil.
    public static func questions(_ records: [Record], file: URL, options: ImportOptions) throws -> [Question] {
        let benchmark = options.benchmark ?? BenchmarkName.fromFile(file)
        return try records.map { record in
            let text = try record.nonEmptyString("question")
            let choices = try OptionParsing.fromDictionaryOrJSONString(record: record, field: "options")
            let answer: String
            if record.has("answer_idx") {
                let raw = try record.string("answer_idx")
                guard let letter = OptionParsing.letter(raw) else { throw record.invalid("answer_idx", raw, "expected a letter") }
                answer = try record.checkAnswer(letter, among: choices, field: "answer_idx")
                if let stated = record.optionalString("answer") {
                    try checkConsistent(stated, with: answer, options: choices, record: record)
                }
            } else {
                answer = try OptionParsing.answerLetter(try record.string("answer"), options: choices, record: record, field: "answer")
            }
            var split: Split?
            if record.has("is_reasoning") {
                split = try record.bool("is_reasoning") ? .reasoning : .knowledge
            }
            let id = record.optionalString("id") ?? QuestionID.derived(benchmark: benchmark, text: text, options: choices)
            return Question(
                id: id, benchmark: benchmark, subject: nil, source: record.optionalString("dataset_name"), text: text,
                options: choices, answer: answer, split: split, splitSource: .dataset,
                reasoningProbability: try record.optionalDouble("reasoning_prob"))
        }
    }

    private static func checkConsistent(_ stated: String, with letter: String, options: [Option], record: Record) throws {
        if let statedLetter = OptionParsing.letter(stated), stated.trimmingCharacters(in: .whitespaces).count <= 3 {
            guard statedLetter == letter else {
                throw record.invalid("answer", stated, "says \(statedLetter) but answer_idx says \(letter)")
            }
            return
        }
        let wanted = OptionParsing.normalized(stated)
        if let other = options.first(where: { OptionParsing.normalized($0.text) == wanted }), other.letter != letter,
            OptionParsing.normalized(options.first { $0.letter == letter }?.text ?? "") != wanted
        {
            throw record.invalid("answer", stated, "is the text of option \(other.letter) but answer_idx says \(letter)")
        }
    }
}
