import Foundation
import ModelFiles
import Tokenizers

extension LanguageModel {
    /// Loads a Hugging Face model folder: the weights and config (see `LlamaModel(folder:)`),
    /// `tokenizer.json` (or Meta's `tokenizer.model`), `tokenizer_config.json` (chat template, BOS/EOS
    /// tokens) and, when present,
    /// `generation_config.json` (stop ids and the recommended sampling).
    public convenience init(folder: String, threads: Int, maxBatchTokens: Int = 256) throws {
        let root = URL(fileURLWithPath: folder)
        let model = try LlamaModel(folder: folder, threads: threads, maxBatchTokens: maxBatchTokens)
        let tokenizerConfigPath = root.appendingPathComponent("tokenizer_config.json").path
        let tokenizerConfig = FileManager.default.fileExists(atPath: tokenizerConfigPath)
            ? try HuggingFaceJSON.object(at: tokenizerConfigPath) : [:]
        guard let vocabulary = try Self.vocabulary(folder: root, tokenizerConfig: tokenizerConfig) else {
            throw ModelError.noTokenizer(folder: folder)
        }
        let tokenizer = try BPETokenizer(vocabulary: vocabulary, bosToken: Self.tokenText(tokenizerConfig["bos_token"]),
                                         eosToken: Self.tokenText(tokenizerConfig["eos_token"]))
        var template: ChatTemplate?
        if let source = Self.chatTemplateSource(tokenizerConfig["chat_template"]) {
            template = try ChatTemplate(source)
        }
        var stops: Set<Int32> = []
        var sampling: SamplingParameters?
        let generationPath = root.appendingPathComponent("generation_config.json").path
        if FileManager.default.fileExists(atPath: generationPath) {
            let generation = try HuggingFaceJSON.object(at: generationPath)
            for id in HuggingFaceJSON.ids(generation["eos_token_id"]) ?? [] where id >= 0 && id < tokenizer.vocabularySize {
                stops.insert(Int32(id))
            }
            sampling = Self.recommendedSampling(generation)
        }
        self.init(model: model, tokenizer: tokenizer, chatTemplate: template, name: root.lastPathComponent, path: folder,
                  extraStopTokenIDs: stops, recommendedSampling: sampling)
    }

    /// The folder's vocabulary: `tokenizer.json`, or else Meta's tiktoken `tokenizer.model` with
    /// the special tokens that tokenizer_config.json's `added_tokens_decoder` names (Llama 3.1's
    /// table when it names none); nil when the folder has neither file.
    static func vocabulary(folder: URL, tokenizerConfig: [String: Any]) throws -> TokenizerJSON? {
        let json = folder.appendingPathComponent("tokenizer.json").path
        if FileManager.default.fileExists(atPath: json) { return try TokenizerJSON(path: json) }
        let model = folder.appendingPathComponent("tokenizer.model").path
        guard FileManager.default.fileExists(atPath: model) else { return nil }
        var tiktoken = try TiktokenModel(path: model)
        if let named = TiktokenModel.specialTokens(addedTokensDecoder: tokenizerConfig["added_tokens_decoder"], firstID: tiktoken.tokens.count) {
            tiktoken = try TiktokenModel(path: model, specialTokens: named)
        }
        return tiktoken.vocabulary
    }

    /// A token given as its text or as an added-token object (`{"content": …}`).
    static func tokenText(_ value: Any?) -> String? {
        value as? String ?? (value as? [String: Any])?["content"] as? String
    }

    /// The default chat template: a string, or the one named `default` in a list of named templates.
    static func chatTemplateSource(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        let named = value as? [[String: Any]] ?? []
        return (named.first { $0["name"] as? String == "default" } ?? named.first)?["template"] as? String
    }

    /// generation_config.json's sampling, as transformers would sample with it: greedy (temperature 0)
    /// when `do_sample` is false; otherwise `temperature`, `top_p`, `top_k`, `min_p` and
    /// `repetition_penalty` where given and transformers' defaults where not (top-k 50, no min-p, no
    /// penalty; llama.cpp's 40 and 0.05 would sample differently from what the authors tuned). Nil
    /// when the file says nothing about sampling.
    static func recommendedSampling(_ generation: [String: Any]) -> SamplingParameters? {
        func number(_ key: String) -> NSNumber? { generation[key] as? NSNumber }
        let doSample = generation["do_sample"] as? Bool
        let keys = ["temperature", "top_p", "top_k", "min_p", "repetition_penalty"]
        guard doSample != nil || keys.contains(where: { number($0) != nil }) else { return nil }
        var sampling = SamplingParameters()
        if doSample == false {
            sampling.temperature = 0
            return sampling
        }
        sampling.temperature = number("temperature")?.floatValue ?? 1
        sampling.topP = number("top_p")?.floatValue ?? 1
        sampling.topK = number("top_k")?.intValue ?? 50
        sampling.minP = number("min_p")?.floatValue ?? 0
        sampling.repeatPenalty = number("repetition_penalty")?.floatValue ?? 1
        return sampling
    }
}
