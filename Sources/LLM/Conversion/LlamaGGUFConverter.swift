import Foundation
import ModelFiles
import TensorNumerics
import Tokenizers

/// Converts a Hugging Face LlamaForCausalLM folder to a GGUF file that llama.cpp (and this engine)
/// loads: llama.cpp's tensor names and metadata, Q/K rows permuted to GGUF's adjacent-pair RoPE
/// layout, Llama-3.1's RoPE factors as `rope_freqs.weight`, and the tokenizer and chat template.
///
/// The file is written one tensor at a time (quantized from the memory-mapped checkpoint, written,
/// released, and the checkpoint pages it read dropped), so converting needs memory for one tensor,
/// not for the model: an 8B bf16 folder converts to Q8_0 with a peak of 1.6 GB resident.
public enum LlamaGGUFConverter {
    /// The formats `convert` writes matrices in. `q4_k` is a mixture; see `matrixFormat(_:columns:isOutput:)`.
    public static let targets: [String: TensorFormat] = ["q8_0": .q8_0, "q4_k": .q4_K, "f16": .f16, "bf16": .bf16, "f32": .f32]

    /// Converts `folder` to a GGUF at `output` with every matrix in `format` (Q4_K: see
    /// `matrixFormat(_:columns:isOutput:)`); norms and RoPE factors stay f32. The tokenizer is written
    /// when the folder has `tokenizer.json` or `tokenizer.model`. Rows are quantized on `threads` threads.
    public static func convert(folder: String, to format: TensorFormat, output: URL, threads: Int = 1) throws {
        let hf = try HuggingFaceConfig(folder: folder)
        let c = try LlamaConfiguration(huggingFace: hf)
        let checkpoint = try SafetensorsCheckpoint(folder: folder)
        let weights = try LlamaWeights(checkpoint: checkpoint, config: c, tiedOutput: hf.tieWordEmbeddings)
        let pool = ThreadPool(threadCount: max(1, threads))
        var w = GGUFWriter()
        let root = URL(fileURLWithPath: folder)
        w.set("general.architecture", .string("llama"))
        w.set("general.name", .string(root.lastPathComponent))
        w.set("general.file_type", .uint32(format.llamaFileType))
        w.set("llama.block_count", .uint32(UInt32(c.layerCount)))
        w.set("llama.context_length", .uint32(UInt32(c.contextLength)))
        w.set("llama.embedding_length", .uint32(UInt32(c.embeddingSize)))
        w.set("llama.feed_forward_length", .uint32(UInt32(c.feedForwardSize)))
        w.set("llama.attention.head_count", .uint32(UInt32(c.headCount)))
        w.set("llama.attention.head_count_kv", .uint32(UInt32(c.keyValueHeadCount)))
        w.set("llama.attention.key_length", .uint32(UInt32(c.headSize)))
        w.set("llama.attention.value_length", .uint32(UInt32(c.headSize)))
        w.set("llama.rope.freq_base", .float32(c.ropeTheta))
        w.set("llama.rope.dimension_count", .uint32(UInt32(c.ropeDimensions)))
        w.set("llama.attention.layer_norm_rms_epsilon", .float32(c.rmsNormEpsilon))
        w.set("llama.vocab_size", .uint32(UInt32(c.vocabularySize)))
        try addTokenizer(folder: root, config: hf, to: &w)
        try addSampling(folder: root, to: &w)

        let matrix = MatrixWriter(checkpoint: checkpoint, target: format, pool: pool)
        // Tied: llama.cpp reads token_embd as the output head too, and gives it the output's format.
        w.add(try matrix.tensor("token_embd.weight", weights.tokenEmbedding, isOutput: hf.tieWordEmbeddings))
        if !hf.tieWordEmbeddings { w.add(try matrix.tensor("output.weight", weights.output, isOutput: true)) }
        w.add(name: "output_norm.weight", shape: [c.embeddingSize], floats: weights.outputNorm)
        if let factors = c.ropeFrequencyFactors { w.add(name: "rope_freqs.weight", shape: [factors.count], floats: factors) }
        for (i, l) in weights.layers.enumerated() {
            let p = "blk.\(i)."
            w.add(name: p + "attn_norm.weight", shape: [c.embeddingSize], floats: l.attentionNorm)
            w.add(name: p + "ffn_norm.weight", shape: [c.embeddingSize], floats: l.feedForwardNorm)
            w.add(try matrix.tensor(p + "attn_q.weight", l.query, scale: l.scales.query, ropeHeads: c.headCount))
            w.add(try matrix.tensor(p + "attn_k.weight", l.key, scale: l.scales.key, ropeHeads: c.keyValueHeadCount))
            w.add(try matrix.tensor(p + "attn_v.weight", l.value, scale: l.scales.value))
            w.add(try matrix.tensor(p + "attn_output.weight", l.attentionOutput, scale: l.scales.attentionOutput))
            w.add(try matrix.tensor(p + "ffn_gate.weight", l.gate, scale: l.scales.gate))
            w.add(try matrix.tensor(p + "ffn_up.weight", l.up, scale: l.scales.up))
            w.add(try matrix.tensor(p + "ffn_down.weight", l.down, scale: l.scales.down))
        }
        try w.write(to: output)
        withExtendedLifetime(weights) {}
    }

    /// The format a matrix with rows of `columns` values is written in when the target is `target`.
    ///
    /// For Q4_K this is a documented simplification of llama-quantize's Q4_K_M: every matrix is Q4_K
    /// except the output head (and the embedding table when it is tied to it), which is Q8_0 where
    /// llama.cpp uses Q6_K — it is the one matrix whose error reaches the logits unmixed, and Q8_0
    /// costs 1.06 against Q6_K's 0.82 bytes per weight (about +0.13 GB for an 8B model). Q4_K_M's
    /// Q6_K for some `attn_v`/`ffn_down` layers is not done: all other matrices are Q4_K.
    ///
    /// Rows that are not whole 256-value super-blocks fall back as llama.cpp's quantizer does for
    /// Q4_K: to Q5_0, and to F16 when not whole 32-value blocks either. A Q8_0 target falls back to
    /// F16 the same way; F16, BF16 and F32 take any row.
    public static func matrixFormat(_ target: TensorFormat, columns: Int, isOutput: Bool) -> TensorFormat {
        let wanted: TensorFormat = target == .q4_K && isOutput ? .q8_0 : target
        for format in [wanted, wanted == .q4_K ? .q5_0 : wanted, .f16] where format.rowBytes(columns) != nil {
            return format
        }
        return .f16
    }

    /// generation_config.json's recommended sampling as llama.cpp's `general.sampling.*` keys, which
    /// llama.cpp's tools and `LanguageModel(ggufPath:)` take as defaults.
    static func addSampling(folder: URL, to w: inout GGUFWriter) throws {
        let path = folder.appendingPathComponent("generation_config.json").path
        guard FileManager.default.fileExists(atPath: path),
              let sampling = LanguageModel.recommendedSampling(try HuggingFaceJSON.object(at: path)) else { return }
        w.set("general.sampling.temp", .float32(sampling.temperature))
        w.set("general.sampling.top_p", .float32(sampling.topP))
        w.set("general.sampling.top_k", .int32(Int32(sampling.topK)))
        w.set("general.sampling.min_p", .float32(sampling.minP))
        w.set("general.sampling.penalty_repeat", .float32(sampling.repeatPenalty))
    }

    /// The tokenizer.json (or tokenizer.model) vocabulary, BOS/EOS from tokenizer_config.json and the chat template, as
    /// llama.cpp's converter writes them; `no_vocab` when the folder has no tokenizer.
    static func addTokenizer(folder: URL, config: HuggingFaceConfig, to w: inout GGUFWriter) throws {
        let configPath = folder.appendingPathComponent("tokenizer_config.json").path
        let tokenizerConfig = FileManager.default.fileExists(atPath: configPath) ? try HuggingFaceJSON.object(at: configPath) : [:]
        guard let file = try LanguageModel.vocabulary(folder: folder, tokenizerConfig: tokenizerConfig) else {
            // llama.cpp's marker for a model without a vocabulary: llama-bench and the like still load it.
            w.set("tokenizer.ggml.model", .string("no_vocab"))
            return
        }
        w.set("tokenizer.ggml.model", .string("gpt2"))
        w.set("tokenizer.ggml.pre", .string(file.ggufPreTokenizerName))
        w.set("tokenizer.ggml.tokens", .array(file.tokens.map { .string($0) }))
        w.set("tokenizer.ggml.token_type", .array(file.tokenTypes.map { .int32(Int32($0)) }))
        w.set("tokenizer.ggml.merges", .array(file.merges.map { .string($0) }))
        let bos = file.bosID ?? LanguageModel.tokenText(tokenizerConfig["bos_token"]).flatMap(file.id(of:))
            ?? config.bosTokenIDs.first.map(Int32.init)
        let eos = LanguageModel.tokenText(tokenizerConfig["eos_token"]).flatMap(file.id(of:)) ?? config.eosTokenIDs.first.map(Int32.init)
        if let bos { w.set("tokenizer.ggml.bos_token_id", .uint32(UInt32(bos))) }
        if let eos { w.set("tokenizer.ggml.eos_token_id", .uint32(UInt32(eos))) }
        w.set("tokenizer.ggml.add_bos_token", .bool(file.addBOS))
        if let template = LanguageModel.chatTemplateSource(tokenizerConfig["chat_template"]) {
            w.set("tokenizer.chat_template", .string(template))
        }
    }
}
