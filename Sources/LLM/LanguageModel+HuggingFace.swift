import Foundation
import ModelFiles
import Tokenizers

extension LanguageModel {
    /// Loads a Hugging Face model folder: the weights and config (see `LlamaModel(folder:)`),
    /// `tokenizer.json`, `tokenizer_config.json` (chat template, BOS/EOS tokens) and, when present,
    /// `generation_config.json` (stop ids and the recommended sampling).
    public convenience init(folder: String, threads: Int, maxBatchTokens: Int = 256) throws {
        let root = URL(fileURLWithPath: folder)
        let model = try LlamaModel(folder: folder, threads: threads, maxBatchTokens: maxBatchTokens)
        let tokenizerConfigPath = root.appendingPathComponent("tokenizer_config.json").path
        let tokenizerConfig = FileManager.default.fileExists(atPath: tokenizerConfigPath)
            ? try HuggingFaceJSON.object(at: tokenizerConfigPath) : [:]
        let tokenizer = try BPETokenizer(tokenizerJSON: root.appendingPathComponent("tokenizer.json").path,
                                         bosToken: Self.tokenText(tokenizerConfig["bos_token"]),
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

    /// generation_config.json's sampling: temperature and top_p when it samples; greedy (temperature 0) when `do_sample` is false.
    static func recommendedSampling(_ generation: [String: Any]) -> SamplingParameters? {
        let temperature = (generation["temperature"] as? NSNumber)?.floatValue
        let topP = (generation["top_p"] as? NSNumber)?.floatValue
        let doSample = generation["do_sample"] as? Bool
        guard temperature != nil || topP != nil || doSample != nil else { return nil }
        var sampling = SamplingParameters()
        if doSample == false {
            sampling.temperature = 0
        } else {
            if let temperature { sampling.temperature = temperature }
            if let topP { sampling.topP = topP }
        }
        return sampling
    }
}
