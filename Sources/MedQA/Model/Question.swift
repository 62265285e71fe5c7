/// One multiple-choice question of a benchmark, in the form every later step (prompts, extraction,
/// the result store) uses, whatever file format it came from.
public struct Question: Sendable, Codable, Hashable {
    /// Stable identifier, unique within `benchmark`: the dataset's own id when it has one, else
    /// `QuestionID.derived(…)` (a hash of benchmark, text and options), so that reruns of the same
    /// file line up row for row. Use `key` where questions of several benchmarks mix.
    public var id: String
    /// The benchmark it belongs to, e.g. `medqa`, `mmlu-medical`, `GPQA_Medical_test`.
    public var benchmark: String
    /// The subject or topic when the dataset gives one (MMLU subject, MedMCQA `subject_name`, …).
    public var subject: String?
    /// Where the question comes from when the file mixes sources (e.g. HuatuoGPT-o1's eval set).
    public var source: String?
    /// The stem shown to the model; for PubMedQA the abstract's contexts followed by the question.
    public var text: String
    /// The answer choices, in the order shown.
    public var options: [Option]
    /// The letter of the correct option; always one of `options`' letters.
    public var answer: String
    /// Reasoning-heavy or knowledge-heavy, when known.
    public var split: Split?
    /// Who decided `split`; nil when `split` is nil.
    public var splitSource: SplitSource?
    /// The classifier's probability that the question is reasoning-heavy, when the dataset ships it
    /// (BioMed-R1-Eval's `reasoning_prob`).
    public var reasoningProbability: Double?

    /// A question. `answer` must be the letter of one of `options` (importers check this).
    public init(
        id: String, benchmark: String, subject: String? = nil, source: String? = nil, text: String,
        options: [Option], answer: String, split: Split? = nil, splitSource: SplitSource? = nil,
        reasoningProbability: Double? = nil
    ) {
        self.id = id
        self.benchmark = benchmark
        self.subject = subject
        self.source = source
        self.text = text
        self.options = options
        self.answer = answer
        self.split = split
        self.splitSource = split == nil ? nil : splitSource
        self.reasoningProbability = reasoningProbability
    }

    /// `benchmark/id`: unique across benchmarks.
    public var key: String { "\(benchmark)/\(id)" }

    /// The option with `letter`, if any.
    public func option(_ letter: String) -> Option? {
        options.first { $0.letter == letter }
    }

    /// The correct option.
    public var correctOption: Option? { option(answer) }

    /// The options' letters, in order.
    public var letters: [String] { options.map(\.letter) }
}
