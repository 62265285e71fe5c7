/// Choices an importer cannot make from the file alone.
public struct ImportOptions: Sendable, Equatable {
    /// The benchmark name to give the questions; nil lets the importer derive it (from the file's
    /// name for BioMed-R1-Eval configs and MedBullets, the format's usual name otherwise).
    public var benchmark: String?
    /// Seed of GPQA's option shuffle (it publishes the correct answer apart from three wrong ones).
    public var shuffleSeed: UInt64
    /// How MedMCQA's integer `cop` counts; nil lets the importer decide from the file's values.
    public var medMCQAAnswerBase: MedMCQAAnswerBase?

    /// Options; the defaults suit every published file.
    public init(benchmark: String? = nil, shuffleSeed: UInt64 = 0, medMCQAAnswerBase: MedMCQAAnswerBase? = nil) {
        self.benchmark = benchmark
        self.shuffleSeed = shuffleSeed
        self.medMCQAAnswerBase = medMCQAAnswerBase
    }
}

/// How a MedMCQA file numbers its correct option `cop`.
public enum MedMCQAAnswerBase: String, Sendable, Equatable, CaseIterable {
    /// 0–3 for a–d: the Hugging Face release (`openlifescienceai/medmcqa`, `cop` a ClassLabel).
    case zeroBased = "0"
    /// 1–4 for a–d: the original release's train.json / dev.json (medmcqa.github.io).
    case oneBased = "1"
}
