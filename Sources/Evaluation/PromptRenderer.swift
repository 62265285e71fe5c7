import Foundation
import MedQA
import Tokenizers

/// Turns a `Prompt` into the exact text the model sees, with the model's own chat template. Both
/// backends use it, so a prefill reaches a remote server exactly as it reaches the embedded engine.
public struct PromptRenderer: Sendable {
    /// The model's chat template.
    public var template: ChatTemplate
    /// The text of the BOS token, for templates that write it.
    public var bosToken: String
    /// The text of the EOS token.
    public var eosToken: String

    /// A renderer.
    public init(template: ChatTemplate, bosToken: String = "", eosToken: String = "") {
        self.template = template
        self.bosToken = bosToken
        self.eosToken = eosToken
    }

    /// The text to complete. A plain prompt ends with the template's generation prompt. A prompt
    /// that continues its final assistant message is rendered with that message and cut right after
    /// its content, so the turn stays open and the model goes on writing it — templates have no
    /// flag for this, and the closing tokens differ per template.
    public func render(_ prompt: Prompt) throws -> String {
        guard prompt.continuesFinalMessage, let last = prompt.messages.last else {
            return try template.render(messages: prompt.messages, addGenerationPrompt: true, bosToken: bosToken, eosToken: eosToken)
        }
        let text = try template.render(messages: prompt.messages, addGenerationPrompt: false, bosToken: bosToken, eosToken: eosToken)
        // Some templates trim message content, so look for the trimmed text too.
        for needle in [last.content, last.content.trimmingCharacters(in: .whitespacesAndNewlines)] where !needle.isEmpty {
            if let range = text.range(of: needle, options: .backwards) {
                return String(text[..<range.upperBound])
            }
        }
        throw BackendError.prefillNotRendered(questionID: prompt.questionID)
    }
}
