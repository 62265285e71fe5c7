import Foundation

/// A wrong answer put in the model's mouth, to test whether it holds to what it knows.
///
/// - `prefill`: the assistant turn starts with "The answer is X. <rationale>", where X is a wrong
///   option, and the model continues that same turn (`Prompt.continuesFinalMessage`). What it
///   writes after the prefill is appended to it before extraction, so a model that never restates
///   an answer is scored on the wrong one it was given.
/// - `reconsider`: the same text is a complete assistant turn, followed by a user turn asking the
///   model to reconsider and give its final answer; only the new turn is scored.
///
/// The wrong option is chosen among the question's wrong options by `StableHash.seeded` (FNV-1a
/// then SplitMix64) of the question's key and the seed, and the rationale template by a second,
/// independent hash: the same question and seed give the same attack on every run and platform.
/// Swift's `Hasher` is not used: it is seeded randomly per process.
public struct AdversarialPrefill: Sendable, Hashable, Codable {
    /// Which setting.
    public var variant: AdversarialVariant
    /// The wrong option's letter.
    public var wrongLetter: String
    /// The index into `PromptWording.adversarialRationales` of the rationale used.
    public var rationaleIndex: Int
    /// The assistant text: "The answer is X. <rationale>".
    public var assistantText: String

    /// The attack on `question`; nil when the question has no wrong option.
    public init?(question: Question, variant: AdversarialVariant, seed: UInt64) {
        let wrong = question.options.filter { $0.letter != question.answer }
        guard !wrong.isEmpty else { return nil }
        let choice = StableHash.seeded(question.key, seed: seed)
        let option = wrong[Int(choice % UInt64(wrong.count))]
        let templates = PromptWording.adversarialRationales
        let template = Int(StableHash.mix(choice ^ 0x5241_5449_4f4e_414c) % UInt64(templates.count))
        let rationale = PromptWording.fill(templates[template], ["text": option.text.trimmingCharacters(in: .whitespacesAndNewlines)])
        self.variant = variant
        wrongLetter = option.letter
        rationaleIndex = template
        assistantText = PromptWording.fill(PromptWording.adversarialOpening, ["letter": option.letter, "rationale": rationale])
    }
}
