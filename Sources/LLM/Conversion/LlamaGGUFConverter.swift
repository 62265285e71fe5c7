import Foundation
import ModelFiles
import TensorNumerics
import Tokenizers

/// Converts a Hugging Face LlamaForCausalLM folder to a GGUF file that llama.cpp (and this engine)
/// loads: llama.cpp's tensor names and metadata, Q/K rows permuted to GGUF's adjacent-pair RoPE
/// layout, Llama-3.1's RoPE factors as `rope_freqs.weight`, and the tokenizer and chat template.
public enum LlamaGGUFConverter {
    /// The formats `convert` writes matrices in.
    public static let targets: [String: TensorFormat] = ["q8_0": .q8_0, "f16": .f16, "bf16": .bf16, "f32": .f32]

    /// Converts `folder` to a GGUF at `output` with every matrix in `format` (norms and RoPE factors stay f32).
    /// The tokenizer is written when the folder has `tokenizer.json`.
    public static func convert(folder: String, to format: TensorFormat, output: URL) throws {
        let hf = try HuggingFaceConfig(folder: folder)
        let c = try LlamaConfiguration(huggingFace: hf)
        let checkpoint = try SafetensorsCheckpoint(folder: folder)
        let weights = try LlamaWeights(checkpoint: checkpoint, config: c, tiedOutput: hf.tieWordEmbeddings)
        var w = GGUFWriter()
        let root = URL(fileURLWithPath: folder)
        w.set("general.architecture", .string("llama"))
        w.set("general.name", .string(root.lastPathComponent))
        w.set("general.file_type", .uint32(fileType(format)))
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

        try add(&w, "token_embd.weight", weights.tokenEmbedding, format: format)
        if !hf.tieWordEmbeddings { try add(&w, "output.weight", weights.output, format: format) }
        w.add(name: "output_norm.weight", shape: [c.embeddingSize], floats: weights.outputNorm)
        if let factors = c.ropeFrequencyFactors { w.add(name: "rope_freqs.weight", shape: [factors.count], floats: factors) }
        for (i, l) in weights.layers.enumerated() {
            let p = "blk.\(i)."
            w.add(name: p + "attn_norm.weight", shape: [c.embeddingSize], floats: l.attentionNorm)
            w.add(name: p + "ffn_norm.weight", shape: [c.embeddingSize], floats: l.feedForwardNorm)
            try add(&w, p + "attn_q.weight", l.query, scale: l.scales.query, format: format, ropeHeads: c.headCount)
            try add(&w, p + "attn_k.weight", l.key, scale: l.scales.key, format: format, ropeHeads: c.keyValueHeadCount)
            try add(&w, p + "attn_v.weight", l.value, scale: l.scales.value, format: format)
            try add(&w, p + "attn_output.weight", l.attentionOutput, scale: l.scales.attentionOutput, format: format)
            try add(&w, p + "ffn_gate.weight", l.gate, scale: l.scales.gate, format: format)
            try add(&w, p + "ffn_up.weight", l.up, scale: l.scales.up, format: format)
            try add(&w, p + "ffn_down.weight", l.down, scale: l.scales.down, format: format)
        }
        try w.write(to: output)
    }

    /// Writes `matrix` in `format`, applying FP8 output scales and, for Q and K, moving each head's
    /// rows from Hugging Face's halves pairing (i, i + d/2) to GGUF's adjacent pairing (2i, 2i + 1),
    /// as llama.cpp's converter permutes them.
    static func add(_ w: inout GGUFWriter, _ name: String, _ matrix: WeightMatrix, scale: [Float]? = nil,
                    format: TensorFormat, ropeHeads: Int? = nil) throws {
        guard Quantize.check(format, count: matrix.columns) == nil, let rowBytes = format.rowBytes(matrix.columns) else {
            throw RequantizeError.rowNotWholeBlocks(tensor: name, columns: matrix.columns, format: format)
        }
        let headSize = ropeHeads.map { matrix.rows / $0 } ?? 0
        var data = Data(count: rowBytes * matrix.rows)
        var row = [Float](repeating: 0, count: matrix.columns)
        data.withUnsafeMutableBytes { out in
            row.withUnsafeMutableBufferPointer { row in
                for r in 0..<matrix.rows {
                    var source = r
                    if ropeHeads != nil {
                        let head = r / headSize, j = r % headSize
                        source = head * headSize + (j % 2) * (headSize / 2) + j / 2
                    }
                    matrix.dequantizeRow(source, into: row.baseAddress!)
                    if let scale {
                        let s = scale.count == 1 ? scale[0] : scale[source]
                        for i in 0..<matrix.columns { row[i] *= s }
                    }
                    Quantize.row(row.baseAddress!, count: matrix.columns, to: format, into: out.baseAddress! + r * rowBytes)
                }
            }
        }
        w.add(GGUFWriter.Tensor(name: name, shape: [matrix.columns, matrix.rows], format: format, data: data))
    }

    /// The tokenizer.json vocabulary, BOS/EOS from tokenizer_config.json and the chat template, as
    /// llama.cpp's converter writes them.
    static func addTokenizer(folder: URL, config: HuggingFaceConfig, to w: inout GGUFWriter) throws {
        let path = folder.appendingPathComponent("tokenizer.json").path
        guard FileManager.default.fileExists(atPath: path) else { return }
        let file = try TokenizerJSON(path: path)
        let configPath = folder.appendingPathComponent("tokenizer_config.json").path
        let tokenizerConfig = FileManager.default.fileExists(atPath: configPath) ? try HuggingFaceJSON.object(at: configPath) : [:]
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

    /// llama.cpp's `general.file_type` (llama_ftype) for matrices in `format`.
    static func fileType(_ format: TensorFormat) -> UInt32 {
        switch format {
        case .f32: 0
        case .f16: 1
        case .q8_0: 7
        case .bf16: 32
        default: 0
        }
    }
}
