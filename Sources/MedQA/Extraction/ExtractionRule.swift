/// Which form of answer `AnswerExtractor` recognised, strongest tier first.
public enum ExtractionRule: String, Sendable, Codable, Hashable, CaseIterable {
    // Explicit final answers (tier 1).
    /// `\boxed{C}`, `\boxed{\text{C}}`, `\boxed{C. text}`.
    case boxed
    /// `<answer> C </answer>`.
    case answerTag
    /// "The answer is (C)", "the correct option would be C".
    case answerStatement
    /// "Answer: C", "Final answer: C", "**Correct answer:** C".
    case answerLabel
    /// "C is the correct answer", "Option C is correct".
    case correctClaim
    /// "I'll go with C", "I choose C".
    case choice
    /// "not A but C": the letter after the correction.
    case correction
    /// An answer marker followed by an option's text instead of its letter ("The answer is digoxin").
    case answerText

    // Weaker forms, used only when no explicit answer exists (tier 2).
    /// "**C. text**" or "**C**".
    case boldOption
    /// A line starting with "C)" or "C." that is not part of an option list.
    case lineLetter
    /// "Option C" outside a negative context ("not option C", "option C is wrong").
    case optionMention
    /// A line holding only a letter, such as a bare "C".
    case loneLetter

    // Last resort (tier 3).
    /// The completion, or its last line, is (nearly) exactly one option's text.
    case optionText

    /// 1 for explicit answers, 2 for weaker forms, 3 for option text.
    public var tier: Int {
        switch self {
        case .boxed, .answerTag, .answerStatement, .answerLabel, .correctClaim, .choice, .correction, .answerText: 1
        case .boldOption, .lineLetter, .optionMention, .loneLetter: 2
        case .optionText: 3
        }
    }
}
