import Foundation
import GRDB

/// Writes items the way the tool did before migration `v2-split-provenance` (no
/// `reasoningProbability`, no `splitLabeller` column), into a store created with
/// `ResultStore(path:migratingUpTo: "v1")`.
enum OldStore {
    static func insert(path: String, run: String, benchmark: String = "medqa", question: String, split: String?,
                       mode: String = "direct", variant: String = "none", completion: String = "Answer: A") throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO items (runID, benchmark, questionID, subject, split, splitSource, mode, variant, promptHash,
                    adversarialLetter, answer, completion, extracted, rule, correct, unparsed, promptTokens, completionTokens,
                    latency, finishedAt)
                VALUES (?, ?, ?, NULL, ?, ?, ?, ?, 'p', NULL, 'A', ?, 'A', 'answerLabel', 1, 0, 100, 4, 0.25, ?)
                """, arguments: [run, benchmark, question, split, split == nil ? nil : "dataset", mode, variant, completion,
                                 Date(timeIntervalSince1970: 1_764_000_000)])
        }
    }
}
