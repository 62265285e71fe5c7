import Foundation
import ModelFiles
import TensorNumerics
import Tokenizers

/// Hugging Face's BertForSequenceClassification: pooler → dropout (identity at inference) →
/// linear classifier, with the label names of config.json's `id2label`.
public final class BertSequenceClassifier: @unchecked Sendable {
    /// The encoder with its tokenizer.
    public let encoder: BertEncoder
    /// Label names by class index.
    public let labels: [String]
    let store: TensorStore
    let weight: UnsafePointer<Float>
    let bias: UnsafePointer<Float>

    /// Loads a BertForSequenceClassification folder (config.json with id2label,
    /// model.safetensors with `bert.*`, `bert.pooler.*` and `classifier.*`, vocab.txt or tokenizer.json).
    public init(folder: URL, threads: Int = 2) throws {
        encoder = try BertEncoder(folder: folder, threads: threads)
        guard let labels = encoder.configuration.labels else {
            throw EncoderError.missingLabels(path: folder.appendingPathComponent("config.json").path)
        }
        guard encoder.model.pooler != nil else {
            throw EncoderError.missingTensor(name: "bert.pooler.dense.weight", file: encoder.model.store.file.path)
        }
        self.labels = labels
        store = TensorStore(file: encoder.model.store.file)
        let h = encoder.configuration.hiddenSize
        weight = try store.floats("classifier.weight", shape: [labels.count, h])
        bias = try store.floats("classifier.bias", shape: [labels.count])
    }

    /// The classifier's logits for each text (or text pair).
    public func logits(_ texts: [String], pairs: [String?]? = nil, batchSize: Int = 32) -> [[Float]] {
        let h = encoder.configuration.hiddenSize
        var result: [[Float]] = []
        encoder.forEachBatch(encoder.encode(texts, pairs: pairs), batchSize: batchSize) { _, states in
            for pooled in encoder.model.pooledOutput(states) ?? [] {
                result.append((0..<labels.count).map { l in
                    var sum: Float = bias[l]
                    for j in 0..<h { sum += weight[l * h + j] * pooled[j] }
                    return sum
                })
            }
        }
        return result
    }

    /// The most probable label of each text with its softmax probability and all probabilities.
    public func classify(_ texts: [String], batchSize: Int = 32) -> [Classification] {
        logits(texts, batchSize: batchSize).map { Classification(labels: labels, logits: $0) }
    }
}

/// One text's predicted label.
public struct Classification: Sendable, Equatable {
    /// The most probable label.
    public let label: String
    /// Its probability.
    public let probability: Float
    /// Probability of every label, in label order.
    public let probabilities: [Float]

    /// The argmax of `softmax(logits)`.
    public init(labels: [String], logits: [Float]) {
        let p = Softmax.probabilities(logits)
        let best = p.indices.max { p[$0] < p[$1] } ?? 0
        probabilities = p
        label = labels[best]
        probability = p[best]
    }
}
