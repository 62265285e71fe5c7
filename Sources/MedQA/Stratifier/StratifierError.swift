/// Why the stratifier cannot be built or trained.
public enum StratifierError: Error, CustomStringConvertible, Equatable {
    /// A classifier's labels cannot be mapped onto reasoning / knowledge.
    case unmappedLabels([String])
    /// A labelled-set line is malformed.
    case invalidLabelledLine(path: String, line: Int, reason: String)
    /// The labelled set has too few examples of a split to train or cross-validate.
    case tooFewExamples(split: Split, count: Int, needed: Int)
    /// The head was trained on another encoder's embeddings.
    case headEncoderMismatch(head: String, encoder: String)

    /// What is wrong and what to do about it.
    public var description: String {
        switch self {
        case .unmappedLabels(let labels):
            return "the classifier's labels \(labels) do not name 'reasoning' and 'knowledge'; use a two-label classifier whose id2label names them (or LABEL_0 = knowledge, LABEL_1 = reasoning)"
        case .invalidLabelledLine(let path, let line, let reason):
            return "\(path):\(line): \(reason); each line must be a JSON object with \"text\" and \"label\" (\"reasoning\" or \"knowledge\")"
        case .tooFewExamples(let split, let count, let needed):
            return "the labelled set has \(count) \(split.rawValue) examples; at least \(needed) are needed for cross-validation"
        case .headEncoderMismatch(let head, let encoder):
            return "the head was trained on '\(head)' embeddings but the encoder is '\(encoder)'; retrain it with `biomed-r1 stratify train --encoder`"
        }
    }
}
