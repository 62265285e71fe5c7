import Foundation
import ModelFiles
import TensorNumerics

/// A Llama-family transformer: it turns batches of tokens into next-token logits, reading and
/// extending a ``KVCache``.
///
/// All scratch memory is allocated once for `maxBatchTokens` tokens; a larger batch is run in
/// chunks. A forward pass allocates nothing, so decoding costs no allocation per token.
public final class LlamaModel: @unchecked Sendable {
    /// The hyperparameters.
    public let config: LlamaConfiguration
    /// The weights.
    public let weights: LlamaWeights
    /// The threads that split every matrix product and the attention heads.
    public let pool: ThreadPool
    /// The most tokens one internal pass processes.
    public let maxBatchTokens: Int
    private let rope: RotaryEmbedding
    private let workspace: MatMulWorkspace
    private let buffers: Buffers
    private let causalAttention: CausalAttention

    /// Loads a Llama GGUF file: hyperparameters from its metadata, weights in place from the mapping.
    public convenience init(gguf: GGUFFile, threads: Int, maxBatchTokens: Int = 256) throws {
        let config = try LlamaConfiguration(gguf: gguf)
        try self.init(config: config, weights: LlamaWeights(gguf: gguf, config: config), threads: threads, maxBatchTokens: maxBatchTokens)
    }

    /// A model over already-viewed weights.
    public init(config: LlamaConfiguration, weights: LlamaWeights, threads: Int, maxBatchTokens: Int = 256) throws {
        self.config = config
        self.weights = weights
        self.maxBatchTokens = max(1, maxBatchTokens)
        pool = ThreadPool(threadCount: max(1, threads))
        rope = RotaryEmbedding(dimensions: config.ropeDimensions, theta: config.ropeTheta,
                               pairing: config.ropePairing, frequencyFactors: config.ropeFrequencyFactors)
        let widest = max(config.embeddingSize, config.feedForwardSize, config.queryWidth)
        workspace = MatMulWorkspace(maxTokens: self.maxBatchTokens, maxColumns: widest)
        buffers = Buffers(config: config, tokens: self.maxBatchTokens)
        causalAttention = CausalAttention(config: config, maxBatchTokens: self.maxBatchTokens, threads: max(1, threads))
    }

    /// A KV cache sized for this model.
    public func makeCache(contextLimit: Int? = nil, slots: Int = 1) -> KVCache {
        KVCache(layerCount: config.layerCount, width: config.keyValueWidth,
                contextLimit: contextLimit ?? config.contextLength, slotCount: slots)
    }

    /// Runs `batch` through the model, appending its keys and values to `cache`, and writes the
    /// logits of each token that wants them, in batch order, as rows of `vocabularySize` floats.
    ///
    /// Each token's position must be its slot's current length plus its index among that slot's
    /// tokens in the batch: sequences are extended in order, never with gaps.
    public func forward(_ batch: TokenBatch, cache: KVCache, logits: UnsafeMutablePointer<Float>) throws {
        for (i, token) in batch.tokens.enumerated() {
            guard token >= 0, Int(token) < config.vocabularySize else {
                throw ModelError.invalidToken(token, vocabularySize: config.vocabularySize)
            }
            try cache.reserve(slot: batch.slots[i], positions: batch.positions[i] + 1)
        }
        var logitRow = 0
        var start = 0
        while start < batch.count {
            let end = min(batch.count, start + maxBatchTokens)
            logitRow += run(batch, range: start..<end, cache: cache, logits: logits + logitRow * config.vocabularySize)
            start = end
        }
    }

    /// One pass over at most `maxBatchTokens` tokens; returns the number of logit rows written.
    private func run(_ batch: TokenBatch, range: Range<Int>, cache: KVCache, logits: UnsafeMutablePointer<Float>) -> Int {
        let c = config
        let b = buffers
        let n = range.count
        let d = c.embeddingSize
        for (row, i) in range.enumerated() {
            weights.tokenEmbedding.dequantizeRow(Int(batch.tokens[i]), into: b.x + row * d)
        }

        causalAttention.plan(batch, range: range)

        for (layerIndex, layer) in weights.layers.enumerated() {
            for t in 0..<n {
                layer.attentionNorm.withUnsafeBufferPointer {
                    VectorOps.rmsNorm(b.x + t * d, weight: $0.baseAddress!, count: d, epsilon: c.rmsNormEpsilon, output: b.normed + t * d)
                }
            }
            MatMul.multiply(layer.query, b.q, layer.key, b.k, layer.value, b.v,
                            input: b.normed, xStride: d, tokens: n,
                            yStrides: (c.queryWidth, c.keyValueWidth, c.keyValueWidth), workspace: workspace, pool: pool)
            LlamaLayerScales.apply(layer.scales.query, to: b.q, width: c.queryWidth, stride: c.queryWidth, tokens: n)
            LlamaLayerScales.apply(layer.scales.key, to: b.k, width: c.keyValueWidth, stride: c.keyValueWidth, tokens: n)
            LlamaLayerScales.apply(layer.scales.value, to: b.v, width: c.keyValueWidth, stride: c.keyValueWidth, tokens: n)
            for (t, i) in range.enumerated() {
                rope.angles(position: batch.positions[i], cos: b.cos, sin: b.sin)
                rope.apply(b.q + t * c.queryWidth, heads: c.headCount, headSize: c.headSize, cos: b.cos, sin: b.sin)
                rope.apply(b.k + t * c.keyValueWidth, heads: c.keyValueHeadCount, headSize: c.headSize, cos: b.cos, sin: b.sin)
                let slot = cache.slots[batch.slots[i]]
                let offset = batch.positions[i] * c.keyValueWidth
                VectorOps.convert(b.k + t * c.keyValueWidth, to: slot.keys[layerIndex] + offset, count: c.keyValueWidth)
                VectorOps.convert(b.v + t * c.keyValueWidth, to: slot.values[layerIndex] + offset, count: c.keyValueWidth)
            }
            causalAttention.run(batch, range: range, layer: layerIndex, cache: cache, queries: b.q, output: b.attention, pool: pool)
            MatMul.multiply(layer.attentionOutput, input: b.attention, xStride: c.queryWidth, tokens: n,
                            output: b.projected, yStride: d, workspace: workspace, pool: pool)
            LlamaLayerScales.apply(layer.scales.attentionOutput, to: b.projected, width: d, stride: d, tokens: n)
            VectorOps.add(b.projected, to: b.x, count: n * d)

            for t in 0..<n {
                layer.feedForwardNorm.withUnsafeBufferPointer {
                    VectorOps.rmsNorm(b.x + t * d, weight: $0.baseAddress!, count: d, epsilon: c.rmsNormEpsilon, output: b.normed + t * d)
                }
            }
            MatMul.multiply(layer.gate, b.gate, layer.up, b.up, nil, nil,
                            input: b.normed, xStride: d, tokens: n,
                            yStrides: (c.feedForwardSize, c.feedForwardSize, 0), workspace: workspace, pool: pool)
            LlamaLayerScales.apply(layer.scales.gate, to: b.gate, width: c.feedForwardSize, stride: c.feedForwardSize, tokens: n)
            LlamaLayerScales.apply(layer.scales.up, to: b.up, width: c.feedForwardSize, stride: c.feedForwardSize, tokens: n)
            for t in 0..<n {
                VectorOps.swiGLU(gate: b.gate + t * c.feedForwardSize, up: b.up + t * c.feedForwardSize, count: c.feedForwardSize)
            }
            MatMul.multiply(layer.down, input: b.gate, xStride: c.feedForwardSize, tokens: n,
                            output: b.projected, yStride: d, workspace: workspace, pool: pool)
            LlamaLayerScales.apply(layer.scales.down, to: b.projected, width: d, stride: d, tokens: n)
            VectorOps.add(b.projected, to: b.x, count: n * d)
        }
        for i in range {
            let slot = cache.slots[batch.slots[i]]
            slot.length = max(slot.length, batch.positions[i] + 1)
        }

        var rows = 0
        for (t, i) in range.enumerated() where batch.wantsLogits[i] {
            weights.outputNorm.withUnsafeBufferPointer {
                VectorOps.rmsNorm(b.x + t * d, weight: $0.baseAddress!, count: d, epsilon: c.rmsNormEpsilon, output: b.normed + rows * d)
            }
            rows += 1
        }
        if rows > 0 {
            MatMul.multiply(weights.output, input: b.normed, xStride: d, tokens: rows,
                            output: logits, yStride: c.vocabularySize, workspace: workspace, pool: pool)
        }
        return rows
    }

    /// Scratch activations for one pass.
    private final class Buffers {
        let x, normed, q, k, v, attention, projected, gate, up, cos, sin: UnsafeMutablePointer<Float>

        init(config c: LlamaConfiguration, tokens n: Int) {
            x = .allocate(capacity: n * c.embeddingSize)
            normed = .allocate(capacity: n * max(c.embeddingSize, c.queryWidth))
            q = .allocate(capacity: n * c.queryWidth)
            k = .allocate(capacity: n * c.keyValueWidth)
            v = .allocate(capacity: n * c.keyValueWidth)
            attention = .allocate(capacity: n * c.queryWidth)
            projected = .allocate(capacity: n * c.embeddingSize)
            gate = .allocate(capacity: n * c.feedForwardSize)
            up = .allocate(capacity: n * c.feedForwardSize)
            cos = .allocate(capacity: c.ropeDimensions / 2)
            sin = .allocate(capacity: c.ropeDimensions / 2)
        }

        deinit {
            [x, normed, q, k, v, attention, projected, gate, up, cos, sin].forEach { $0.deallocate() }
        }
    }
}
