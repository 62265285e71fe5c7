import Foundation
import ModelFiles
import TensorNumerics

/// A BERT encoder (word + position + token-type embeddings, post-LayerNorm layers with exact
/// GELU, optional pooler) on the TensorNumerics kernels.
///
/// A batch of sequences runs as one matrix of all their tokens, unpadded: every matrix product
/// covers the whole batch, and attention runs per sequence over that sequence's own tokens, which
/// is what a padding mask computes. Matrix products use `FloatGEMM` (register-tiled f32). One call at a time per instance (it shares one thread pool).
public final class BertModel: @unchecked Sendable {
    /// The hyperparameters.
    public let configuration: BertConfiguration
    let store: TensorStore
    let wordEmbeddings, positionEmbeddings, typeEmbeddings: UnsafePointer<Float>
    let embeddingNormWeight, embeddingNormBias: UnsafePointer<Float>
    let layers: [BertLayerWeights]
    /// The pooler (`tanh(W · h[CLS] + b)`), when the checkpoint has one.
    let pooler: (weight: WeightMatrix, bias: UnsafePointer<Float>)?
    let pool: ThreadPool

    /// Loads the encoder from a safetensors checkpoint; tensor names may carry a `bert.` prefix
    /// (as in BertForSequenceClassification) or none (as in BertModel).
    public init(configuration c: BertConfiguration, weights file: SafetensorsFile, threads: Int) throws {
        configuration = c
        let store = TensorStore(file: file)
        self.store = store
        let prefix = file.tensorInfo("bert.embeddings.word_embeddings.weight") != nil ? "bert." : ""
        let h = c.hiddenSize
        wordEmbeddings = try store.floats(prefix + "embeddings.word_embeddings.weight", shape: [c.vocabularySize, h])
        positionEmbeddings = try store.floats(prefix + "embeddings.position_embeddings.weight", shape: [c.maxPositions, h])
        typeEmbeddings = try store.floats(prefix + "embeddings.token_type_embeddings.weight", shape: [c.typeVocabularySize, h])
        (embeddingNormWeight, embeddingNormBias) = try store.layerNorm(prefix + "embeddings.LayerNorm", size: h)
        layers = try (0..<c.layerCount).map {
            try BertLayerWeights(store: store, prefix: "\(prefix)encoder.layer.\($0).", configuration: c)
        }
        if store.contains(prefix + "pooler.dense.weight") {
            pooler = (try store.matrix(prefix + "pooler.dense.weight", rows: h, columns: h),
                      try store.floats(prefix + "pooler.dense.bias", shape: [h]))
        } else {
            pooler = nil
        }
        pool = ThreadPool(threadCount: max(1, threads))
    }

    /// The last hidden states of a batch: for each sequence, `tokens × hiddenSize` values row by
    /// row. Ids must lie in the vocabulary and sequences fit `maxPositions` (the tokenizer's
    /// truncation sees to both).
    public func hiddenStates(_ batch: [WordPieceSequence]) -> [[Float]] {
        let c = configuration, h = c.hiddenSize
        let total = batch.reduce(0) { $0 + $1.ids.count }
        guard total > 0 else { return batch.map { _ in [] } }
        let x = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let q = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let k = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let v = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let context = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let wide = UnsafeMutablePointer<Float>.allocate(capacity: total * max(h, c.intermediateSize))
        defer { for p in [x, q, k, v, context, wide] { p.deallocate() } }

        var starts: [Int] = []
        var offset = 0
        for s in batch {
            starts.append(offset)
            for (position, (id, type)) in zip(s.ids, s.typeIDs).enumerated() {
                precondition(position < c.maxPositions, "sequence longer than max_position_embeddings: truncate it")
                precondition(id >= 0 && Int(id) < c.vocabularySize, "token id \(id) outside the vocabulary")
                let row = x + (offset + position) * h
                let word = wordEmbeddings + Int(id) * h
                let pos = positionEmbeddings + position * h
                let seg = typeEmbeddings + min(Int(type), c.typeVocabularySize - 1) * h
                for j in 0..<h { row[j] = word[j] + pos[j] + seg[j] }
                LayerNorm.normalize(row, weight: embeddingNormWeight, bias: embeddingNormBias, count: h,
                                    epsilon: c.layerNormEpsilon, output: row)
            }
            offset += s.ids.count
        }
        let lengths = batch.map(\.ids.count)

        for layer in layers {
            gemm(layer.query, x, h, total, q, h)
            gemm(layer.key, x, h, total, k, h)
            gemm(layer.value, x, h, total, v, h)
            addBias(layer.queryBias, to: q, tokens: total, width: h)
            addBias(layer.keyBias, to: k, tokens: total, width: h)
            addBias(layer.valueBias, to: v, tokens: total, width: h)
            attention(q: q, k: k, v: v, output: context, starts: starts, lengths: lengths)
            gemm(layer.attentionOutput, context, h, total, wide, h)
            addBias(layer.attentionOutputBias, to: wide, tokens: total, width: h)
            residualNorm(wide, into: x, weight: layer.attentionNormWeight, bias: layer.attentionNormBias, tokens: total)
            let i = c.intermediateSize
            gemm(layer.intermediate, x, h, total, wide, i)
            pool.parallelFor(total) { range in
                for t in range {
                    VectorOps.add(layer.intermediateBias, to: wide + t * i, count: i)
                    GELU.apply(wide + t * i, count: i)
                }
            }
            gemm(layer.output, wide, i, total, context, h)
            addBias(layer.outputBias, to: context, tokens: total, width: h)
            residualNorm(context, into: x, weight: layer.outputNormWeight, bias: layer.outputNormBias, tokens: total)
        }
        return zip(starts, lengths).map { start, length in
            Array(UnsafeBufferPointer(start: x + start * h, count: length * h))
        }
    }

    /// BERT's pooled output, `tanh(W · h[CLS] + b)`, for each sequence's hidden states; nil when
    /// the checkpoint has no pooler.
    public func pooledOutput(_ states: [[Float]]) -> [[Float]]? {
        guard let pooler else { return nil }
        let h = configuration.hiddenSize
        var first = [Float](repeating: 0, count: states.count * h)
        for (n, s) in states.enumerated() where s.count >= h {
            for j in 0..<h { first[n * h + j] = s[j] }
        }
        guard !states.isEmpty else { return [] }
        var out = [Float](repeating: 0, count: states.count * h)
        first.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                gemm(pooler.weight, input.baseAddress!, h, states.count, output.baseAddress!, h)
            }
        }
        return (0..<states.count).map { n in
            (0..<h).map { j in Foundation.tanh(out[n * h + j] + pooler.bias[j]) }
        }
    }

    /// `y = x · Wᵀ` for `tokens` rows of `x` (the store holds every matrix as aligned f32).
    private func gemm(_ w: WeightMatrix, _ x: UnsafePointer<Float>, _ xStride: Int, _ tokens: Int,
                      _ y: UnsafeMutablePointer<Float>, _ yStride: Int) {
        FloatGEMM.multiply(weights: w.base.assumingMemoryBound(to: Float.self), rows: w.rows, columns: w.columns,
                           input: x, xStride: xStride, tokens: tokens, output: y, yStride: yStride, pool: pool)
    }

    private func addBias(_ bias: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, tokens: Int, width: Int) {
        for t in 0..<tokens { VectorOps.add(bias, to: y + t * width, count: width) }
    }

    /// `x = LayerNorm(x + sublayer)`, token by token.
    private func residualNorm(_ sublayer: UnsafeMutablePointer<Float>, into x: UnsafeMutablePointer<Float>,
                              weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, tokens: Int) {
        let h = configuration.hiddenSize, eps = configuration.layerNormEpsilon
        pool.parallelFor(tokens) { range in
            for t in range {
                VectorOps.add(sublayer + t * h, to: x + t * h, count: h)
                LayerNorm.normalize(x + t * h, weight: weight, bias: bias, count: h, epsilon: eps, output: x + t * h)
            }
        }
    }

    /// Scaled dot-product attention of every head of every sequence, each sequence seeing only
    /// its own tokens. Work items are (sequence, head) pairs spread over the pool.
    private func attention(q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                           output: UnsafeMutablePointer<Float>, starts: [Int], lengths: [Int]) {
        let c = configuration, h = c.hiddenSize, d = c.headSize, heads = c.headCount
        let scale = 1 / Float(d).squareRoot()
        let longest = lengths.max() ?? 0
        pool.parallelFor(starts.count * heads) { range in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(longest, 1))
            defer { scores.deallocate() }
            for item in range {
                let sequence = item / heads, head = item % heads
                let start = starts[sequence], length = lengths[sequence]
                for i in 0..<length {
                    let qi = q + (start + i) * h + head * d
                    for j in 0..<length {
                        scores[j] = FloatGEMM.dot(qi, k + (start + j) * h + head * d, d) * scale
                    }
                    Softmax.apply(scores, count: length)
                    let out = output + (start + i) * h + head * d
                    for e in 0..<d { out[e] = 0 }
                    for j in 0..<length {
                        VectorOps.addScaled(v + (start + j) * h + head * d, scale: scores[j], to: out, count: d)
                    }
                }
            }
        }
    }
}
