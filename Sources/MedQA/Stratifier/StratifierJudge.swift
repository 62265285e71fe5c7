import Foundation
import Tokenizers

/// Labelling questions with an LLM instead of the classifier: the prompt, stating the BioMed-R1
/// paper's definition, and the parsing of the judge's reply. MedQA does not run models: the
/// caller sends `prompt(for:)` to any backend (Evaluation's `SplitJudge` does) and passes the
/// reply to `verdict(in:)`.
public enum StratifierJudge {
    /// The system prompt: the paper's definition of the two kinds, and the one-word answer format.
    /// README.md ("Stratification") quotes it; keep the two in step.
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
    public static func prompt(for question: Question) -> Prompt {
        Prompt(messages: [
            ChatMessage(role: "system", content: systemPrompt),
            ChatMessage(role: "user", content: "Question:\n\(question.stratifierText)\n\nIs this question reasoning-heavy or knowledge-heavy? Answer with one word."),
        ], continuesFinalMessage: false, questionID: question.id, mode: .direct, adversarial: nil)
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
