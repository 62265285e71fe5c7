extension Question {
    /// The text the stratifier classifies: the question, then each option as `A. text` on its
    /// own line. Training and labelling use this one rendering so that they see the same input.
    public var stratifierText: String {
        ([text] + options.map { "\($0.letter). \($0.text)" }).joined(separator: "\n")
    }
}
