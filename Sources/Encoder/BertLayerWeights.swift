import TensorNumerics

/// One post-LayerNorm transformer layer of BERT.
struct BertLayerWeights: @unchecked Sendable {
    let query, key, value, attentionOutput, intermediate, output: WeightMatrix
    let queryBias, keyBias, valueBias, attentionOutputBias, intermediateBias, outputBias: UnsafePointer<Float>
    let attentionNormWeight, attentionNormBias, outputNormWeight, outputNormBias: UnsafePointer<Float>

    init(store: TensorStore, prefix p: String, configuration c: BertConfiguration) throws {
        let h = c.hiddenSize, i = c.intermediateSize
        query = try store.matrix(p + "attention.self.query.weight", rows: h, columns: h)
        key = try store.matrix(p + "attention.self.key.weight", rows: h, columns: h)
        value = try store.matrix(p + "attention.self.value.weight", rows: h, columns: h)
        attentionOutput = try store.matrix(p + "attention.output.dense.weight", rows: h, columns: h)
        intermediate = try store.matrix(p + "intermediate.dense.weight", rows: i, columns: h)
        output = try store.matrix(p + "output.dense.weight", rows: h, columns: i)
        queryBias = try store.floats(p + "attention.self.query.bias", shape: [h])
        keyBias = try store.floats(p + "attention.self.key.bias", shape: [h])
        valueBias = try store.floats(p + "attention.self.value.bias", shape: [h])
        attentionOutputBias = try store.floats(p + "attention.output.dense.bias", shape: [h])
        intermediateBias = try store.floats(p + "intermediate.dense.bias", shape: [i])
        outputBias = try store.floats(p + "output.dense.bias", shape: [h])
        (attentionNormWeight, attentionNormBias) = try store.layerNorm(p + "attention.output.LayerNorm", size: h)
        (outputNormWeight, outputNormBias) = try store.layerNorm(p + "output.LayerNorm", size: h)
    }
}

extension TensorStore {
    /// A LayerNorm's weight and bias, under the current names or TF-era `gamma`/`beta`.
    func layerNorm(_ prefix: String, size: Int) throws -> (UnsafePointer<Float>, UnsafePointer<Float>) {
        if !contains(prefix + ".weight") && contains(prefix + ".gamma") {
            return (try floats(prefix + ".gamma", shape: [size]), try floats(prefix + ".beta", shape: [size]))
        }
        return (try floats(prefix + ".weight", shape: [size]), try floats(prefix + ".bias", shape: [size]))
    }
}
