import Foundation

/// The hyperparameters of a BERT checkpoint, read from its Hugging Face config.json.
public struct BertConfiguration: Sendable, Equatable {
    /// Width of every hidden state.
    public var hiddenSize: Int
    /// Number of transformer layers.
    public var layerCount: Int
    /// Attention heads per layer.
    public var headCount: Int
    /// Width of the feed-forward block.
    public var intermediateSize: Int
    /// Rows of the position embedding table: the longest input.
    public var maxPositions: Int
    /// Rows of the word embedding table.
    public var vocabularySize: Int
    /// Rows of the token-type (segment) table.
    public var typeVocabularySize: Int
    /// LayerNorm epsilon.
    public var layerNormEpsilon: Float
    /// Output label names by class index (`id2label`), when the checkpoint is a classifier.
    public var labels: [String]?

    /// Describes a BERT.
    public init(hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int, maxPositions: Int,
                vocabularySize: Int, typeVocabularySize: Int = 2, layerNormEpsilon: Float = 1e-12, labels: [String]? = nil) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.vocabularySize = vocabularySize
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
        self.labels = labels
    }

    /// Reads config.json.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { throw EncoderError.missingFile(path: url.path) }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) } catch {
            throw EncoderError.invalidConfiguration(path: url.path, reason: "\(error)")
        }
        guard let json = object as? [String: Any] else {
            throw EncoderError.invalidConfiguration(path: url.path, reason: "not a JSON object")
        }
        func int(_ key: String, _ fallback: Int? = nil) throws -> Int {
            if let v = json[key] as? NSNumber { return v.intValue }
            if let fallback { return fallback }
            throw EncoderError.invalidConfiguration(path: url.path, reason: "no '\(key)'")
        }
        let activation = json["hidden_act"] as? String ?? "gelu"
        guard activation == "gelu" else { throw EncoderError.unsupportedActivation(activation) }
        if let type = json["position_embedding_type"] as? String, type != "absolute" {
            throw EncoderError.invalidConfiguration(path: url.path, reason: "position_embedding_type '\(type)' is not supported (only 'absolute')")
        }
        var labels: [String]?
        if let map = json["id2label"] as? [String: Any], !map.isEmpty {
            var names = [String?](repeating: nil, count: map.count)
            for (key, value) in map {
                guard let i = Int(key), i >= 0, i < map.count, let name = value as? String else {
                    throw EncoderError.invalidConfiguration(path: url.path, reason: "id2label keys must be 0..<\(map.count)")
                }
                names[i] = name
            }
            labels = names.compactMap { $0 }
        }
        self.init(hiddenSize: try int("hidden_size"), layerCount: try int("num_hidden_layers"),
                  headCount: try int("num_attention_heads"), intermediateSize: try int("intermediate_size"),
                  maxPositions: try int("max_position_embeddings"), vocabularySize: try int("vocab_size"),
                  typeVocabularySize: try int("type_vocab_size", 2),
                  layerNormEpsilon: (json["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12, labels: labels)
        guard hiddenSize % headCount == 0 else {
            throw EncoderError.invalidConfiguration(path: url.path, reason: "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(headCount)")
        }
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / headCount }
}
