import Foundation
import MedQA

/// Something that completes prompts: the embedded engine or an OpenAI-compatible server.
///
/// Requests arrive concurrently (up to `maxConcurrency` at once, as the runner schedules them), so
/// a backend that batches many sequences can gather whatever is in flight into one batch, and an
/// HTTP backend can keep that many requests open.
public protocol Backend: Sendable {
    /// Identifies the model for the run's identity (see `RunSettings.model`).
    var modelIdentity: String { get }
    /// The model's display name.
    var modelName: String { get }
    /// How many requests it usefully serves at once.
    var maxConcurrency: Int { get }
    /// Completes one prompt.
    func complete(_ request: CompletionRequest) async throws -> Completion
}

/// One prompt to complete.
public struct CompletionRequest: Sendable {
    /// The conversation, possibly ending in an assistant turn to continue.
    public var prompt: Prompt
    /// The token budget.
    public var maxTokens: Int
    /// A request.
    public init(prompt: Prompt, maxTokens: Int) {
        self.prompt = prompt
        self.maxTokens = maxTokens
    }
}

/// What a backend returns for one request.
public struct Completion: Sendable, Hashable {
    /// The generated text (for a prefill, only what follows the prefilled words).
    public var text: String
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// Tokens generated.
    public var completionTokens: Int
    /// Seconds from request to completion.
    public var latency: Double
    /// A completion.
    public init(text: String, promptTokens: Int, completionTokens: Int, latency: Double) {
        self.text = text
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latency = latency
    }
}
