import Foundation
import GRDB

/// One answered item: a question asked in one mode and adversarial variant, with what came back.
public struct StoredItem: Sendable, Codable, Hashable, FetchableRecord, PersistableRecord {
    /// The table.
    public static let databaseTableName = "items"
    /// The run it belongs to.
    public var runID: String
    /// The question's benchmark.
    public var benchmark: String
    /// The question's id within its benchmark.
    public var questionID: String
    /// The question's subject, when known.
    public var subject: String?
    /// `reasoning`, `knowledge`, or nil when unlabelled.
    public var split: String?
    /// Who labelled the split (`dataset`, `stratifier`).
    public var splitSource: String?
    /// The probability that the question is reasoning-heavy, from the stratifier (or the dataset's
    /// own, e.g. BioMed-R1-Eval's `reasoning_prob`); nil in stores written before it was kept.
    public var reasoningProbability: Double?
    /// Which stratifier labelled the split (`Stratifier.labeller`: name and weights version); nil
    /// for dataset labels.
    public var splitLabeller: String?
    /// `direct` or `reasoning`.
    public var mode: String
    /// `none`, `prefill` or `reconsider`.
    public var variant: String
    /// The prompt wording's hash.
    public var promptHash: String
    /// The wrong letter put in the model's mouth, for adversarial items.
    public var adversarialLetter: String?
    /// The correct letter.
    public var answer: String
    /// What the model wrote.
    public var completion: String
    /// The extracted letter; nil when none was found.
    public var extracted: String?
    /// The extraction rule that matched.
    public var rule: String?
    /// Whether `extracted` is `answer`.
    public var correct: Bool
    /// Whether no answer could be extracted (then `correct` is false).
    public var unparsed: Bool
    /// Prompt tokens.
    public var promptTokens: Int
    /// Completion tokens.
    public var completionTokens: Int
    /// Seconds from request to completion.
    public var latency: Double
    /// When it was stored.
    public var finishedAt: Date

    /// An item.
    public init(
        runID: String, benchmark: String, questionID: String, subject: String?, split: String?, splitSource: String?, mode: String, variant: String, promptHash: String, adversarialLetter: String?, answer: String, completion: String, extracted: String?, rule: String?, correct: Bool, unparsed: Bool, promptTokens: Int, completionTokens: Int, latency: Double, finishedAt: Date,
        reasoningProbability: Double? = nil, splitLabeller: String? = nil
    ) {
        self.runID = runID
        self.benchmark = benchmark
        self.questionID = questionID
        self.subject = subject
        self.split = split
        self.splitSource = splitSource
        self.mode = mode
        self.variant = variant
        self.promptHash = promptHash
        self.adversarialLetter = adversarialLetter
        self.answer = answer
        self.completion = completion
        self.extracted = extracted
        self.rule = rule
        self.correct = correct
        self.unparsed = unparsed
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latency = latency
        self.finishedAt = finishedAt
        self.reasoningProbability = reasoningProbability
        self.splitLabeller = splitLabeller
    }

    /// How reports name where the split came from: `dataset`, `stratifier (LABELLER)`, or
    /// `unlabelled`.
    public var splitProvenance: String {
        switch splitSource {
        case nil: return "unlabelled"
        case "stratifier": return splitLabeller.map { "stratifier (\($0))" } ?? "stratifier"
        case let other?: return other
        }
    }

    /// The key that makes an item unique within a run.
    public var itemKey: ItemKey { ItemKey(benchmark: benchmark, questionID: questionID, mode: mode, variant: variant) }
}

/// What identifies an item within a run: the question, the mode and the variant.
public struct ItemKey: Sendable, Hashable, Codable {
    /// The benchmark.
    public var benchmark: String
    /// The question id.
    public var questionID: String
    /// The mode.
    public var mode: String
    /// The variant (`none` for plain).
    public var variant: String
    /// A key.
    public init(benchmark: String, questionID: String, mode: String, variant: String) {
        self.benchmark = benchmark
        self.questionID = questionID
        self.mode = mode
        self.variant = variant
    }
}
