import Foundation

/// Reads GPQA's published CSV (`gpqa_main.csv`, `gpqa_diamond.csv`, …): `Question`,
/// `Correct Answer`, `Incorrect Answer 1`…`3`, `Record ID`, `Subdomain` (kept as `subject`).
///
/// GPQA publishes the correct answer apart from the wrong ones, so they are shuffled into A–D by a
/// SplitMix64 generator seeded from `ImportOptions.shuffleSeed` and the question's id: the same
/// question gets the same order on every run and platform, and different questions get
/// independent orders.
public enum GPQAImporter {
    /// The questions of `records`.
    public static func questions(_ records: [Record], options: ImportOptions) throws -> [Question] {
        let benchmark = options.benchmark ?? "gpqa"
        return try records.map { record in
            let text = try record.nonEmptyString("Question").trimmingCharacters(in: .whitespacesAndNewlines)
            let correct = try record.nonEmptyString("Correct Answer").trimmingCharacters(in: .whitespacesAndNewlines)
            let wrong = try (1...3).map {
                try record.nonEmptyString("Incorrect Answer \($0)").trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if wrong.contains(correct) {
                throw record.invalid("Correct Answer", correct, "is also listed as an incorrect answer")
            }
            let id = record.optionalString("Record ID") ?? QuestionID.derived(
                benchmark: benchmark, text: text,
                options: ([correct] + wrong).enumerated().map { Option(letter: Option.letters[$0], text: $1) })
            var texts = [correct] + wrong
            var generator = SplitMix64(seed: StableHash.seeded(id, seed: options.shuffleSeed))
            // Fisher–Yates with our own generator: `shuffle(using:)`'s algorithm is not guaranteed stable.
            for index in stride(from: texts.count - 1, to: 0, by: -1) {
                texts.swapAt(index, generator.next(below: index + 1))
            }
            let choices = try OptionParsing.fromList(texts, record: record, field: "Correct Answer")
            let answer = choices.first { $0.text == correct }!.letter
            return Question(
                id: id, benchmark: benchmark, subject: record.optionalString("Subdomain"), text: text, options: choices,
                answer: answer)
        }
    }
}
