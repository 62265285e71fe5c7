/// Where a question's `Split` label came from, so reports can say which labels are the dataset's own.
public enum SplitSource: String, Sendable, Codable, Hashable {
    /// The benchmark file says so (e.g. BioMed-R1-Eval's `is_reasoning`).
    case dataset
    /// The reasoning/knowledge stratifier labelled it.
    case stratifier
}
