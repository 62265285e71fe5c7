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
        guard prompt.continuesFinalMessage, !prompt.messages.isEmpty else {
            return try template.render(messages: prompt.messages, addGenerationPrompt: true, bosToken: bosToken, eosToken: eosToken)
        }
        guard let text = try template.renderContinuingFinalMessage(prompt.messages, bosToken: bosToken, eosToken: eosToken) else {
            throw BackendError.prefillNotRendered(questionID: prompt.questionID)
        }
        return text
    }
}
