import MedQA

/// A question's reasoning/knowledge label as the store records it on each of its items.
public struct QuestionLabel: Sendable, Hashable {
    /// The benchmark.
    public var benchmark: String
    /// The question id within it.
    public var questionID: String
    /// `reasoning` or `knowledge`.
    public var split: String
    /// `dataset` or `stratifier`.
    public var source: String
    /// The probability that the question is reasoning-heavy, when known.
    public var reasoningProbability: Double?
    /// The stratifier's `labeller` (nil for dataset labels).
    public var labeller: String?

    /// A label.
    public init(benchmark: String, questionID: String, split: String, source: String,
                reasoningProbability: Double?, labeller: String?) {
        self.benchmark = benchmark
        self.questionID = questionID
        self.split = split
        self.source = source
        self.reasoningProbability = reasoningProbability
        self.labeller = labeller
    }

    /// The label `question` carries (nil when it has none); `labeller` names the stratifier for
    /// stratifier labels.
    public init?(_ question: Question, labeller: String?) {
        guard let split = question.split, let source = question.splitSource else { return nil }
        self.init(benchmark: question.benchmark, questionID: question.id, split: split.rawValue, source: source.rawValue,
                  reasoningProbability: question.reasoningProbability, labeller: source == .stratifier ? labeller : nil)
    }
}
