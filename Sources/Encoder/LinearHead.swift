import Foundation
import TensorNumerics

/// A softmax-regression head over frozen sentence embeddings: `logits = W · e + b`.
/// Stored as a small JSON file beside the encoder it was trained on.
public struct LinearHead: Sendable, Codable, Equatable {
    /// Label names by class index.
    public var labels: [String]
    /// `labels.count × dimension` weights, row by row.
    public var weights: [Float]
    /// One bias per label.
    public var bias: [Float]
    /// Width of the embeddings it takes.
    public var dimension: Int
    /// What produced the embeddings (e.g. `all-MiniLM-L6-v2 mean+L2`), checked by users of the head.
    public var encoder: String
    /// Training settings and cross-validated metrics, for the record.
    public var notes: [String: String]

    /// A head with the given parameters.
    public init(labels: [String], weights: [Float], bias: [Float], dimension: Int, encoder: String, notes: [String: String] = [:]) {
        precondition(weights.count == labels.count * dimension && bias.count == labels.count, "head shape mismatch")
        self.labels = labels
        self.weights = weights
        self.bias = bias
        self.dimension = dimension
        self.encoder = encoder
        self.notes = notes
    }

    /// Reads a head file.
    public init(contentsOf url: URL) throws {
        do {
            self = try JSONDecoder().decode(LinearHead.self, from: Data(contentsOf: url))
        } catch {
            throw EncoderError.invalidHead(path: url.path, reason: "\(error)")
        }
        guard weights.count == labels.count * dimension, bias.count == labels.count, labels.count >= 2 else {
            throw EncoderError.invalidHead(path: url.path, reason: "weights/bias do not match \(labels.count) labels × \(dimension)")
        }
    }

    /// Writes the head as pretty-printed JSON (sorted keys, so retraining gives clean diffs).
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: url)
    }

    /// The logits of one embedding.
    public func logits(_ embedding: [Float]) -> [Float] {
        precondition(embedding.count == dimension, "embedding width \(embedding.count) ≠ head width \(dimension)")
        return (0..<labels.count).map { l in
            var sum = bias[l]
            let row = l * dimension
            for j in 0..<dimension { sum += weights[row + j] * embedding[j] }
            return sum
        }
    }

    /// The predicted label with its probability.
    public func classify(_ embedding: [Float]) -> Classification {
        Classification(labels: labels, logits: logits(embedding))
    }
}
