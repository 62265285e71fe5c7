import Foundation

/// Reads MedMCQA: `id`, `question`, `opa`…`opd`, `cop`, `subject_name` (JSONL, or a JSON array).
///
/// `cop` comes in two published forms: 1–4 in the original release (train.json / dev.json from
/// medmcqa.github.io) and 0–3 in the Hugging Face release (`openlifescienceai/medmcqa`, where it
/// is a ClassLabel), whose test split has -1 (no answer key). A letter `a`–`d` is accepted as well.
/// The base is decided per file: a 0 anywhere means 0-based, a 4 anywhere means 1-based; a file
/// with only 1–3 cannot be told apart and is an error unless `ImportOptions.medMCQAAnswerBase`
/// says which.
public enum MedMCQAImporter {
    /// The questions of `records`.
    public static func questions(_ records: [Record], options: ImportOptions) throws -> [Question] {
        let benchmark = options.benchmark ?? "medmcqa"
        let base = try options.medMCQAAnswerBase ?? inferBase(records)
        return try records.map { record in
            let text = try record.nonEmptyString("question")
            let texts = try ["opa", "opb", "opc", "opd"].map { try record.string($0) }
            let choices = try OptionParsing.fromList(texts, record: record, field: "opa")
            let answer = try letter(record, base: base)
            let id = record.optionalString("id") ?? QuestionID.derived(benchmark: benchmark, text: text, options: choices)
            return Question(
                id: id, benchmark: benchmark, subject: record.optionalString("subject_name"), text: text,
                options: choices, answer: try record.checkAnswer(answer, among: choices, field: "cop"))
        }
    }

    private static func letter(_ record: Record, base: MedMCQAAnswerBase?) throws -> String {
        let value = try record.value("cop")
        if let text = value as? String, let letter = OptionParsing.letter(text) {
            guard ["A", "B", "C", "D"].contains(letter) else {
                throw record.invalid("cop", text, "MedMCQA has options a–d only")
            }
            return letter
        }
        let number = try record.int("cop")
        if number == -1 {
            throw record.invalid("cop", number, "-1 means no answer key (the Hugging Face test split is unlabelled); use the validation split")
        }
        guard (0...4).contains(number) else {
            throw record.invalid("cop", number, "expected 1–4 (original release) or 0–3 (Hugging Face release)")
        }
        guard let base else {
            throw record.invalid("cop", number, "cannot tell whether cop counts from 0 or 1 in this file; pass the answer base (0 for the Hugging Face release, 1 for the original)")
        }
        let index = base == .zeroBased ? number : number - 1
        guard (0..<4).contains(index) else {
            throw record.invalid("cop", number, base == .zeroBased ? "expected 0–3 (this file counts from 0)" : "expected 1–4 (this file counts from 1)")
        }
        return Option.letters[index]
    }

    private static func inferBase(_ records: [Record]) throws -> MedMCQAAnswerBase? {
        var sawZero = false
        var sawFour = false
        for record in records {
            guard let number = try? record.int("cop") else { continue }
            if number == 0 { sawZero = true }
            if number == 4 { sawFour = true }
        }
        if sawZero && sawFour {
            let record = records.first { (try? $0.int("cop")) == 4 } ?? records[0]
            throw record.invalid("cop", 4, "the file has both 0 and 4 in cop, so it is neither 0–3 nor 1–4")
        }
        return sawZero ? .zeroBased : sawFour ? .oneBased : nil
    }
}
