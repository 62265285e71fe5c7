import Foundation

/// Labelling questions with an LLM instead of the classifier: the prompt, stating the BioMed-R1
/// paper's definition, and the parsing of the judge's reply. MedQA does not run models: the
/// caller sends `messages(for:)` to any chat backend and passes the reply to `verdict(in:)`.
public enum StratifierJudge {
    /// The system prompt: the paper's definition of the two kinds, and the one-word answer format.
    public static let systemPrompt = """
    You classify medical exam questions as REASONING-heavy or KNOWLEDGE-heavy.
    REASONING-heavy: answering needs multi-step inference — integrating several findings of a case \
    into a diagnosis, next step or mechanism; ruling out alternatives against the given data; \
    calculating; predicting the consequence of a described lesion, drug or experiment.
    KNOWLEDGE-heavy: answering needs the recall of a fact — a definition, a name, an association, a \
    normal value, an anatomical relation — however the question is worded.
    Do not answer the question itself. Reply with exactly one word: reasoning or knowledge.
    """

    /// The chat turns for one question: the system prompt, then the question with its options.
    public static func messages(for question: Question) -> [(role: String, content: String)] {
        [("system", systemPrompt),
         ("user", "Question:\n\(question.stratifierText)\n\nIs this question reasoning-heavy or knowledge-heavy? Answer with one word.")]
    }

    /// The split named in a reply: the last of "reasoning"/"knowledge" it mentions (any case), or
    /// nil when it names neither (counted as unparsed, never guessed).
    public static func verdict(in reply: String) -> Split? {
        let lowered = reply.lowercased()
        let r = lowered.range(of: "reason", options: .backwards)?.lowerBound
        let k = lowered.range(of: "knowledge", options: .backwards)?.lowerBound
        switch (r, k) {
        case (nil, nil): return nil
        case (.some, nil): return .reasoning
        case (nil, .some): return .knowledge
        case (.some(let a), .some(let b)): return a > b ? .reasoning : .knowledge
        }
    }
}

/// How often the judge and the classifier agree, with Cohen's kappa (agreement beyond chance).
public struct JudgeAgreement: Sendable, Equatable {
    /// Questions the judge labelled (parsed replies).
    public let compared: Int
    /// Of those, labelled the same by both.
    public let agreed: Int
    /// Replies naming neither split.
    public let unparsed: Int
    /// Cohen's kappa over the compared questions (0 when undefined).
    public let kappa: Double

    /// Compares judge verdicts (nil = unparsed) with classifier splits, question by question.
    public init(judge: [Split?], classifier: [Split]) {
        var n = 0, same = 0, missing = 0, judgeR = 0, classR = 0
        for (j, c) in zip(judge, classifier) {
            guard let j else { missing += 1; continue }
            n += 1
            if j == c { same += 1 }
            if j == .reasoning { judgeR += 1 }
            if c == .reasoning { classR += 1 }
        }
        compared = n
        agreed = same
        unparsed = missing
        if n == 0 {
            kappa = 0
        } else {
            let observed = Double(same) / Double(n)
            let pj = Double(judgeR) / Double(n), pc = Double(classR) / Double(n)
            let chance = pj * pc + (1 - pj) * (1 - pc)
            kappa = chance >= 1 ? 0 : (observed - chance) / (1 - chance)
        }
    }

    /// The share of compared questions labelled alike.
    public var rate: Double { compared == 0 ? 0 : Double(agreed) / Double(compared) }
}
