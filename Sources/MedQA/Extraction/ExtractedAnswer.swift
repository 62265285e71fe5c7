/// The answer read from a completion.
public struct ExtractedAnswer: Sendable, Hashable, Codable {
    /// The option letter.
    public var letter: String
    /// The form it was written in.
    public var rule: ExtractionRule
    /// Where the match ends, in UTF-16 offsets into the text searched (later matches win).
    public var position: Int

    /// An extracted answer.
    public init(letter: String, rule: ExtractionRule, position: Int) {
        self.letter = letter
        self.rule = rule
        self.position = position
    }
}
