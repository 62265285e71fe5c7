import ModelFiles
import TensorNumerics

/// The weights of one transformer block, as views into the model file.
public struct LlamaLayerWeights: @unchecked Sendable {
    /// RMSNorm gain before attention.
    public var attentionNorm: [Float]
    /// Projections to queries, keys and values.
    public var query, key, value: WeightMatrix
    /// Projection of the attention result back to the residual stream.
    public var attentionOutput: WeightMatrix
    /// RMSNorm gain before the feed-forward block.
    public var feedForwardNorm: [Float]
    /// SwiGLU projections.
    public var gate, up, down: WeightMatrix
    /// Output scales of FP8 matrices (none for other formats).
    public var scales = LlamaLayerScales()
}

/// All weights of a Llama model. Matrices stay in their stored format inside the mapped file;
/// only the small norm vectors are copied out as f32.
public struct LlamaWeights: @unchecked Sendable {
    /// The token embedding table (vocabulary × embedding).
    public var tokenEmbedding: WeightMatrix
    /// The blocks.
    public var layers: [LlamaLayerWeights]
    /// The final RMSNorm gain.
    public var outputNorm: [Float]
    /// The output head (vocabulary × embedding); the embedding table itself when tied.
    public var output: WeightMatrix
    /// What keeps the mapped memory alive.
    public let owner: AnyObject
    /// The paths of the mapped files the weights live in.
    public let files: [String]

    /// Views the tensors of a GGUF file with llama.cpp's names, checking every shape against `config`.
    public init(gguf: GGUFFile, config c: LlamaConfiguration) throws {
        owner = gguf
        files = [gguf.path]
        func matrix(_ name: String, rows: Int, columns: Int) throws -> WeightMatrix {
            guard let info = gguf.tensorInfo(name) else { throw ModelError.missingTensor(name, path: gguf.path) }
            guard info.shape.count == 2, info.columns == columns, info.rows == rows else {
                throw ModelError.wrongShape(tensor: name, expected: "[\(columns), \(rows)]", found: "\(info.shape)", path: gguf.path)
            }
            do {
                return try WeightMatrix(format: info.format, rows: rows, columns: columns, base: gguf.data(of: info))
            } catch {
                throw ModelError.unsupportedFormat(tensor: name, format: "\(info.format)", path: gguf.path)
            }
        }
        func vector(_ name: String, count: Int) throws -> [Float] {
            guard let info = gguf.tensorInfo(name) else { throw ModelError.missingTensor(name, path: gguf.path) }
            guard info.elementCount == count, info.shape.count == 1 else {
                throw ModelError.wrongShape(tensor: name, expected: "[\(count)]", found: "\(info.shape)", path: gguf.path)
            }
            let m: WeightMatrix
            do {
                m = try WeightMatrix(format: info.format, rows: 1, columns: count, base: gguf.data(of: info))
            } catch {
                throw ModelError.unsupportedFormat(tensor: name, format: "\(info.format)", path: gguf.path)
            }
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBufferPointer { m.dequantizeRow(0, into: $0.baseAddress!) }
            return values
        }
        tokenEmbedding = try matrix("token_embd.weight", rows: c.vocabularySize, columns: c.embeddingSize)
        output = gguf.tensorInfo("output.weight") == nil
            ? tokenEmbedding
            : try matrix("output.weight", rows: c.vocabularySize, columns: c.embeddingSize)
        outputNorm = try vector("output_norm.weight", count: c.embeddingSize)
        layers = try (0..<c.layerCount).map { i in
            let p = "blk.\(i)."
            return LlamaLayerWeights(
                attentionNorm: try vector(p + "attn_norm.weight", count: c.embeddingSize),
                query: try matrix(p + "attn_q.weight", rows: c.queryWidth, columns: c.embeddingSize),
                key: try matrix(p + "attn_k.weight", rows: c.keyValueWidth, columns: c.embeddingSize),
                value: try matrix(p + "attn_v.weight", rows: c.keyValueWidth, columns: c.embeddingSize),
                attentionOutput: try matrix(p + "attn_output.weight", rows: c.embeddingSize, columns: c.queryWidth),
                feedForwardNorm: try vector(p + "ffn_norm.weight", count: c.embeddingSize),
                gate: try matrix(p + "ffn_gate.weight", rows: c.feedForwardSize, columns: c.embeddingSize),
                up: try matrix(p + "ffn_up.weight", rows: c.feedForwardSize, columns: c.embeddingSize),
                down: try matrix(p + "ffn_down.weight", rows: c.embeddingSize, columns: c.feedForwardSize))
        }
    }

    /// Bytes of all matrices, the embedding table included once when the head shares it.
    public var totalBytes: Int {
        let embedding = tokenEmbedding.rowBytes * tokenEmbedding.rows
        let tied = tokenEmbedding.base == output.base
        return bytesPerToken + (tied ? 0 : embedding)
    }

    /// Bytes of weights that one decoded token reads (every matrix once, the embedding row aside).
    public var bytesPerToken: Int {
        let perLayer = layers.first.map { l in
            [l.query, l.key, l.value, l.attentionOutput, l.gate, l.up, l.down].reduce(0) { $0 + $1.rowBytes * $1.rows }
        } ?? 0
        return perLayer * layers.count + output.rowBytes * output.rows
    }
}
