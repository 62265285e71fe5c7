import Foundation
import ModelFiles
import Tokenizers

/// A model ready to talk: the transformer, its tokenizer and its chat template, loaded from one
/// GGUF file or one Hugging Face folder.
public final class LanguageModel: @unchecked Sendable {
    /// The transformer.
    public let model: LlamaModel
    /// The tokenizer from the model's vocabulary.
    public let tokenizer: BPETokenizer
    /// The model's own chat template, if it has one.
    public let chatTemplate: ChatTemplate?
    /// The model's name, from its metadata or file name.
    public let name: String
    /// The file or folder it was loaded from.
    public let path: String
    /// Tokens that end generation: the tokenizer's end-of-generation tokens and any further stop
    /// ids the model publishes (generation_config.json's `eos_token_id`).
    public let stopTokenIDs: Set<Int32>
    /// The sampling the model's authors recommend (generation_config.json), if they say.
    public let recommendedSampling: SamplingParameters?

    /// A model from parts already loaded.
    public init(model: LlamaModel, tokenizer: BPETokenizer, chatTemplate: ChatTemplate?, name: String, path: String,
                extraStopTokenIDs: Set<Int32> = [], recommendedSampling: SamplingParameters? = nil) {
        self.model = model
        self.tokenizer = tokenizer
        self.chatTemplate = chatTemplate
        self.name = name
        self.path = path
        stopTokenIDs = tokenizer.endOfGenerationIDs.union(extraStopTokenIDs)
        self.recommendedSampling = recommendedSampling
    }

    /// Loads a GGUF model file or a Hugging Face model folder, whichever `path` is.
    public convenience init(path: String, threads: Int, maxBatchTokens: Int = 256) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            try self.init(folder: path, threads: threads, maxBatchTokens: maxBatchTokens)
        } else {
            try self.init(ggufPath: path, threads: threads, maxBatchTokens: maxBatchTokens)
        }
    }

    /// Loads a GGUF model file.
    public convenience init(ggufPath path: String, threads: Int, maxBatchTokens: Int = 256) throws {
        let gguf = try GGUFFile(path: path)
        self.init(
            model: try LlamaModel(gguf: gguf, threads: threads, maxBatchTokens: maxBatchTokens),
            tokenizer: try BPETokenizer(gguf: gguf),
            chatTemplate: try gguf.string("tokenizer.chat_template").map { try ChatTemplate($0) },
            name: try gguf.string("general.name") ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
            path: path, recommendedSampling: try Self.recommendedSampling(gguf))
    }

    /// llama.cpp's `general.sampling.*` keys (which `convert` writes from generation_config.json):
    /// the values present over llama.cpp's defaults, or nil when the file has none.
    static func recommendedSampling(_ gguf: GGUFFile) throws -> SamplingParameters? {
        let temperature = try gguf.double("general.sampling.temp"), topP = try gguf.double("general.sampling.top_p")
        let topK = try gguf.int("general.sampling.top_k"), minP = try gguf.double("general.sampling.min_p")
        let penalty = try gguf.double("general.sampling.penalty_repeat")
        guard temperature != nil || topP != nil || topK != nil || minP != nil || penalty != nil else { return nil }
        var sampling = SamplingParameters()
        if let temperature { sampling.temperature = Float(temperature) }
        if let topP { sampling.topP = Float(topP) }
        if let topK { sampling.topK = topK }
        if let minP { sampling.minP = Float(minP) }
        if let penalty { sampling.repeatPenalty = Float(penalty) }
        return sampling
    }

    /// Renders a conversation with the model's chat template.
    public func renderChat(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) throws -> String {
        guard let template = chatTemplate else { throw GenerationError.noChatTemplate(model: name) }
        let bos = tokenizer.bosID.flatMap { tokenizer.text(of: $0) } ?? ""
        let eos = tokenizer.eosID.flatMap { tokenizer.text(of: $0) } ?? ""
        return try template.render(messages: messages, addGenerationPrompt: addGenerationPrompt, bosToken: bos, eosToken: eos)
    }

    /// Tokenizes a prompt as llama.cpp does for chat: special tokens in the text are recognised, and
    /// BOS is added when the vocabulary asks for it — unless the text (a rendered template) already
    /// starts with it, so BOS is never doubled.
    public func encodePrompt(_ text: String) -> [Int32] {
        var ids = tokenizer.encode(text, addSpecial: false, parseSpecial: true)
        if tokenizer.addBOS, let bos = tokenizer.bosID, ids.first != bos {
            ids.insert(bos, at: 0)
        }
        return ids
    }
}
