import ModelFiles

extension LlamaModel {
    /// Loads a Hugging Face LlamaForCausalLM folder: `config.json` and the (possibly sharded)
    /// safetensors weights, memory-mapped and used in place.
    public convenience init(folder: String, threads: Int, maxBatchTokens: Int = 256) throws {
        let hf = try HuggingFaceConfig(folder: folder)
        let config = try LlamaConfiguration(huggingFace: hf)
        let checkpoint = try SafetensorsCheckpoint(folder: folder)
        let weights = try LlamaWeights(checkpoint: checkpoint, config: config, tiedOutput: hf.tieWordEmbeddings)
        try self.init(config: config, weights: weights, threads: threads, maxBatchTokens: maxBatchTokens)
    }
}
