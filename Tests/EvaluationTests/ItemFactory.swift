import Evaluation
import Foundation

/// Stored items built by hand, for store and report tests that need exact, known contents.
enum ItemFactory {
    static func item(run: String, question: String, benchmark: String = "medqa", split: String? = "reasoning",
                     variant: String = "none", correct: Bool, unparsed: Bool = false) -> StoredItem {
        StoredItem(
            runID: run, benchmark: benchmark, questionID: question, subject: nil, split: split, splitSource: split == nil ? nil : "dataset",
            mode: "direct", variant: variant, promptHash: "p", adversarialLetter: variant == "none" ? nil : "B", answer: "A",
            completion: unparsed ? "I am not sure, \"quoted\", text" : (correct ? "Answer: A" : "Answer: B"),
            extracted: unparsed ? nil : (correct ? "A" : "B"), rule: unparsed ? nil : "answerLabel",
            correct: correct, unparsed: unparsed, promptTokens: 100, completionTokens: 4, latency: 0.25,
            finishedAt: Date(timeIntervalSince1970: 1_764_000_000))
    }

    static func run(_ id: String, name: String, planned: Int) -> StoredRun {
        StoredRun(id: id, name: name, settingsJSON: "{}", modelName: "test-model", plannedItems: planned,
                  createdAt: Date(timeIntervalSince1970: 1_764_000_000))
    }
}
