import Foundation
import LLM
import MedQA
import Tokenizers

/// The in-process engine: renders each prompt with the model's chat template and decodes it on a
/// continuously batching ``BatchEngine``, so the runner's concurrent requests share forward passes.
///
/// Answers do not depend on the concurrency: the engine computes each sequence's numbers the same
/// whatever shares its passes. The prompts of one question (plain, prefilled, asked to reconsider)
/// share their beginning, which the engine's slots reuse from the cache.
public final class EmbeddedBackend: Backend, Sendable {
    /// The model.
    public let languageModel: LanguageModel
    /// `FileDigest.modelIdentity` of the model file.
    public let modelIdentity: String
    /// Sampling (greedy unless changed).
    public let sampling: SamplingParameters
    private let renderer: PromptRenderer
    private let engine: BatchEngine

    /// A backend over `languageModel`, greedy by default, decoding up to `slots` sequences at once.
    public init(languageModel: LanguageModel, sampling: SamplingParameters = .greedy, contextLimit: Int? = nil,
                slots: Int = 8) throws {
        guard let template = languageModel.chatTemplate else { throw BackendError.noChatTemplate(model: languageModel.name) }
        let tokenizer = languageModel.tokenizer
        self.languageModel = languageModel
        self.sampling = sampling
        modelIdentity = try FileDigest.modelIdentity(of: URL(fileURLWithPath: languageModel.path))
        renderer = PromptRenderer(
            template: template, bosToken: tokenizer.bosID.flatMap { tokenizer.text(of: $0) } ?? "",
            eosToken: tokenizer.eosID.flatMap { tokenizer.text(of: $0) } ?? "")
        engine = BatchEngine(languageModel: languageModel,
                             configuration: .init(slots: slots, contextLimit: contextLimit, maxQueued: 4 * slots))
    }

    /// The model's name.
    public var modelName: String { languageModel.name }
    /// The engine's slots: more concurrent requests would only wait.
    public var maxConcurrency: Int { engine.configuration.slots }

    /// The prompt text exactly as the model sees it.
    public func render(_ prompt: Prompt) throws -> String { try renderer.render(prompt) }

    /// Completes one prompt.
    public func complete(_ request: CompletionRequest) async throws -> Completion {
        let start = Date()
        let ids = languageModel.encodePrompt(try renderer.render(request.prompt))
        let result = try await engine.generate(GenerationRequest(prompt: ids, maxTokens: request.maxTokens, sampling: sampling))
        return Completion(text: result.text, promptTokens: result.promptTokens, completionTokens: result.tokens.count,
                          latency: Date().timeIntervalSince(start))
    }
}
