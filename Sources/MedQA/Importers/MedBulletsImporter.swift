import Foundation

/// Reads MedBullets as its authors publish it (HanjieChen/ChallengeClinicalQA,
/// `medbullets/medbullets_op4.csv` and `medbullets_op5.csv`; a JSON array of the same records is
/// accepted too): columns `link`, `question`, `opa`…`opd` and, for op5, `ope`, `answer_idx` (the
/// letter), `answer` (the text), `explanation`. The published CSVs end each row with empty extra
/// fields, which are ignored. Rows carry no id (the same question can appear under two links), so
/// ids are derived. The benchmark is named from the file (`medbullets_op4`) unless given.
public enum MedBulletsImporter {
    static let optionFields = ["opa", "opb", "opc", "opd", "ope"]

    /// The questions of `records` from `file`.
    public static func questions(_ records: [Record], file: URL, options: ImportOptions) throws -> [Question] {
        let stem = file.deletingPathExtension().lastPathComponent
        let benchmark = options.benchmark ?? (stem.lowercased().hasPrefix("medbullets") ? stem : "medbullets")
        return try records.map { record in
            let text = try record.nonEmptyString("question")
            var texts = try optionFields.prefix(4).map { try record.string($0) }
            if let fifth = record.optionalString("ope") { texts.append(fifth) }
            let choices = try OptionParsing.fromList(texts, record: record, field: "opa")
            let raw = try record.string("answer_idx")
            guard let letter = OptionParsing.letter(raw) else { throw record.invalid("answer_idx", raw, "expected a letter") }
            let answer = try record.checkAnswer(letter, among: choices, field: "answer_idx")
            return Question(
                id: QuestionID.derived(benchmark: benchmark, text: text, options: choices), benchmark: benchmark,
                text: text, options: choices, answer: answer)
        }
    }
}
