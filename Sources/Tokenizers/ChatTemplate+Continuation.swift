import Foundation

extension ChatTemplate {
    /// The text that makes the model continue the final message of `messages` (an assistant turn
    /// begun for it, a prefill) instead of answering it: the conversation rendered without a
    /// generation prompt and cut right after the final message's content, so the turn stays open.
    /// Templates have no flag for this and their closing tokens differ, hence the cut.
    ///
    /// Returns nil when the template does not write the final message's content (nothing to cut at).
    public func renderContinuingFinalMessage(
        _ messages: [ChatMessage], bosToken: String = "", eosToken: String = "", now: Date = Date()
    ) throws -> String? {
        guard let last = messages.last else { return nil }
        let text = try render(messages: messages, addGenerationPrompt: false, bosToken: bosToken, eosToken: eosToken, now: now)
        // Some templates trim message content, so look for the trimmed text too.
        for needle in [last.content, last.content.trimmingCharacters(in: .whitespacesAndNewlines)] where !needle.isEmpty {
            if let range = text.range(of: needle, options: .backwards) {
                return String(text[..<range.upperBound])
            }
        }
        return nil
    }
}
