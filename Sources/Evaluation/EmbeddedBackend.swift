import Foundation
import LLM
import MedQA
import Tokenizers

/// The in-process engine: renders each prompt with the model's chat template and decodes greedily.
///
/// The engine decodes one sequence at a time for now, on its own serial queue (generation blocks
/// for seconds and must not hold Swift's cooperative threads). Consecutive prompts of one question
/// share their prefix, which the session's KV cache reuses. A batched engine slots in behind the
/// same `Backend` API by gathering the concurrent requests.
public final class EmbeddedBackend: Backend, @unchecked Sendable {
    /// The model.
    public let languageModel: LanguageModel
    /// `FileDigest.modelIdentity` of the model file.
    public let modelIdentity: String
    /// Sampling (greedy unless changed).
    public let sampling: SamplingParameters
    private let renderer: PromptRenderer
    private let session: GenerationSession
    private let queue = DispatchQueue(label: "biomed-r1.embedded-backend")

    /// A backend over `languageModel`, greedy by default.
    public init(languageModel: LanguageModel, sampling: SamplingParameters = .greedy, contextLimit: Int? = nil) throws {
        guard let template = languageModel.chatTemplate else { throw BackendError.noChatTemplate(model: languageModel.name) }
        let tokenizer = languageModel.tokenizer
        self.languageModel = languageModel
        self.sampling = sampling
        modelIdentity = try FileDigest.modelIdentity(of: URL(fileURLWithPath: languageModel.path))
        renderer = PromptRenderer(
            template: template, bosToken: tokenizer.bosID.flatMap { tokenizer.text(of: $0) } ?? "",
            eosToken: tokenizer.eosID.flatMap { tokenizer.text(of: $0) } ?? "")
        session = GenerationSession(languageModel: languageModel, contextLimit: contextLimit)
    }

    /// The model's name.
    public var modelName: String { languageModel.name }
    /// One: the engine decodes one sequence at a time.
    public var maxConcurrency: Int { 1 }

    /// The prompt text exactly as the model sees it.
    public func render(_ prompt: Prompt) throws -> String { try renderer.render(prompt) }

    /// Completes one prompt.
    public func complete(_ request: CompletionRequest) async throws -> Completion {
        let text = try renderer.render(request.prompt)
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { [session, languageModel, sampling] in
                do {
                    let start = Date()
                    let ids = languageModel.encodePrompt(text)
                    let result = try session.generate(prompt: ids, maxTokens: request.maxTokens, sampling: sampling)
                    continuation.resume(returning: Completion(
                        text: result.text, promptTokens: result.promptTokens, completionTokens: result.tokens.count,
                        latency: Date().timeIntervalSince(start)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
