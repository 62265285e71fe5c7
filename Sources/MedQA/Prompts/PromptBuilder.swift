import Tokenizers

/// Builds the conversation for a question: plain, or with an adversarial wrong answer.
///
/// Plain: one user turn (stem, options, instruction; see `PromptWording`). Adversarial: see
/// `AdversarialPrefill`. No system turn is added, so each model's template applies its own default.
public struct PromptBuilder: Sendable, Equatable {
    /// The mode.
    public var mode: PromptMode
    /// Seed of the adversarial choices (wrong option and rationale).
    public var seed: UInt64

    /// A builder for `mode`, with adversarial choices seeded by `seed`.
    public init(mode: PromptMode, seed: UInt64 = 0) {
        self.mode = mode
        self.seed = seed
    }

    /// Identifies the wording and mode: part of a run's identity, so changed wording means a new run.
    public var promptHash: String { Self.promptHash(mode: mode) }

    /// `PromptWording.hash` combined with the mode.
    public static func promptHash(mode: PromptMode) -> String {
        String(PromptWording.hash.prefix(16)) + "-" + mode.rawValue
    }

    /// The user turn for `question`.
    public func userTurn(_ question: Question) -> String {
        let options = question.options.map {
            PromptWording.fill(PromptWording.optionLine, ["letter": $0.letter, "text": $0.text])
        }.joined(separator: "\n")
        let instruction = mode == .direct ? PromptWording.directInstruction : PromptWording.reasoningInstruction
        return question.text + "\n\n" + options + "\n\n" + instruction
    }

    /// The prompt for `question`, plain when `variant` is nil.
    public func prompt(for question: Question, variant: AdversarialVariant? = nil) -> Prompt {
        var messages = [ChatMessage(role: "user", content: userTurn(question))]
        guard let variant, let attack = AdversarialPrefill(question: question, variant: variant, seed: seed) else {
            return Prompt(messages: messages, continuesFinalMessage: false, questionID: question.id, mode: mode, adversarial: nil)
        }
        messages.append(ChatMessage(role: "assistant", content: attack.assistantText))
        switch variant {
        case .prefill:
            return Prompt(messages: messages, continuesFinalMessage: true, questionID: question.id, mode: mode, adversarial: attack)
        case .reconsider:
            let ask = mode == .direct ? PromptWording.reconsiderDirect : PromptWording.reconsiderReasoning
            messages.append(ChatMessage(role: "user", content: ask))
            return Prompt(messages: messages, continuesFinalMessage: false, questionID: question.id, mode: mode, adversarial: attack)
        }
    }
}
