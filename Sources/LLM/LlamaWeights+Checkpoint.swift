import ModelFiles
import TensorNumerics

extension LlamaWeights {
    /// Views the tensors of a Hugging Face checkpoint with LlamaForCausalLM's names, checking every
    /// shape against `config`. Matrices stay in the mapped shards (PyTorch's `[out, in]` row-major
    /// layout is already one weight row per output); norm gains are copied out as f32.
    ///
    /// The output head is `lm_head.weight`, or the embedding table when `tiedOutput`
    /// (`tie_word_embeddings`; tied checkpoints are saved without `lm_head`).
    ///
    /// FP8 ("compressed-tensors") projections stay e4m3 in the mapping; their `weight_scale`
    /// (per-tensor or per-channel) is applied to the outputs. `input_scale`, where present, is not
    /// needed: activations stay f32.
    public init(checkpoint: SafetensorsCheckpoint, config c: LlamaConfiguration, tiedOutput: Bool) throws {
        owner = checkpoint
        files = checkpoint.files.map(\.path)
        func matrix(_ name: String, rows: Int, columns: Int) throws -> WeightMatrix {
            let (file, info) = try checkpoint.requiredTensor(name)
            guard info.shape.count == 2, info.rows == rows, info.columns == columns else {
                throw ModelError.wrongShape(tensor: name, expected: "[\(rows), \(columns)]", found: "\(info.shape)", path: file.path)
            }
            do {
                return try WeightMatrix(format: info.format, rows: rows, columns: columns, base: file.data(of: info))
            } catch {
                throw ModelError.unsupportedFormat(tensor: name, format: info.dtype, path: file.path)
            }
        }
        func vector(_ name: String, count: Int) throws -> [Float] {
            let (file, info) = try checkpoint.requiredTensor(name)
            guard info.shape == [count] else {
                throw ModelError.wrongShape(tensor: name, expected: "[\(count)]", found: "\(info.shape)", path: file.path)
            }
            let m: WeightMatrix
            do {
                m = try WeightMatrix(format: info.format, rows: 1, columns: count, base: file.data(of: info))
            } catch {
                throw ModelError.unsupportedFormat(tensor: name, format: info.dtype, path: file.path)
            }
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBufferPointer { m.dequantizeRow(0, into: $0.baseAddress!) }
            return values
        }
        /// An FP8 matrix's `weight_scale` (compressed-tensors): one value, or one per row; nil for other formats.
        func scale(_ name: String, rows: Int) throws -> [Float]? {
            let (_, weight) = try checkpoint.requiredTensor(name)
            guard weight.format == .f8e4m3 else { return nil }
            let scaleName = String(name.dropLast(".weight".count)) + ".weight_scale"
            // FP8 values without their scale would compute outputs off by the scale, silently.
            let (file, info) = try checkpoint.requiredTensor(scaleName)
            guard info.elementCount == 1 || info.elementCount == rows, info.rows * info.columns == info.elementCount else {
                throw ModelError.wrongShape(tensor: scaleName, expected: "[1] or [\(rows), 1]", found: "\(info.shape)", path: file.path)
            }
            let m: WeightMatrix
            do {
                m = try WeightMatrix(format: info.format, rows: 1, columns: info.elementCount, base: file.data(of: info))
            } catch {
                throw ModelError.unsupportedFormat(tensor: scaleName, format: info.dtype, path: file.path)
            }
            var values = [Float](repeating: 0, count: info.elementCount)
            values.withUnsafeMutableBufferPointer { m.dequantizeRow(0, into: $0.baseAddress!) }
            return values
        }
        tokenEmbedding = try matrix("model.embed_tokens.weight", rows: c.vocabularySize, columns: c.embeddingSize)
        output = tiedOutput
            ? tokenEmbedding
            : try matrix("lm_head.weight", rows: c.vocabularySize, columns: c.embeddingSize)
        outputNorm = try vector("model.norm.weight", count: c.embeddingSize)
        layers = try (0..<c.layerCount).map { i in
            let p = "model.layers.\(i)."
            let scales = LlamaLayerScales(
                query: try scale(p + "self_attn.q_proj.weight", rows: c.queryWidth),
                key: try scale(p + "self_attn.k_proj.weight", rows: c.keyValueWidth),
                value: try scale(p + "self_attn.v_proj.weight", rows: c.keyValueWidth),
                attentionOutput: try scale(p + "self_attn.o_proj.weight", rows: c.embeddingSize),
                gate: try scale(p + "mlp.gate_proj.weight", rows: c.feedForwardSize),
                up: try scale(p + "mlp.up_proj.weight", rows: c.feedForwardSize),
                down: try scale(p + "mlp.down_proj.weight", rows: c.embeddingSize))
            return LlamaLayerWeights(
                attentionNorm: try vector(p + "input_layernorm.weight", count: c.embeddingSize),
                query: try matrix(p + "self_attn.q_proj.weight", rows: c.queryWidth, columns: c.embeddingSize),
                key: try matrix(p + "self_attn.k_proj.weight", rows: c.keyValueWidth, columns: c.embeddingSize),
                value: try matrix(p + "self_attn.v_proj.weight", rows: c.keyValueWidth, columns: c.embeddingSize),
                attentionOutput: try matrix(p + "self_attn.o_proj.weight", rows: c.embeddingSize, columns: c.queryWidth),
                feedForwardNorm: try vector(p + "post_attention_layernorm.weight", count: c.embeddingSize),
                gate: try matrix(p + "mlp.gate_proj.weight", rows: c.feedForwardSize, columns: c.embeddingSize),
                up: try matrix(p + "mlp.up_proj.weight", rows: c.feedForwardSize, columns: c.embeddingSize),
                down: try matrix(p + "mlp.down_proj.weight", rows: c.embeddingSize, columns: c.feedForwardSize),
                scales: scales)
        }
    }
}
