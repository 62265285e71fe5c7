import Foundation

/// The `config.json` of a Hugging Face Llama-family checkpoint, with transformers' defaults for
/// keys that older configs leave out.
public struct HuggingFaceConfig: Sendable, Equatable {
    /// RoPE scaling as `rope_scaling` describes it.
    public struct RopeScaling: Sendable, Equatable {
        /// `rope_type` (older configs: `type`), e.g. `llama3`.
        public var type: String
        /// How much longer the context became.
        public var factor: Double
        /// Llama-3's low- and high-frequency factors.
        public var lowFrequencyFactor: Double, highFrequencyFactor: Double
        /// The context length before scaling.
        public var originalMaxPositionEmbeddings: Int
    }

    /// The file read.
    public var path: String
    /// `architectures` (e.g. `["LlamaForCausalLM"]`).
    public var architectures: [String]
    /// `model_type` (e.g. `llama`).
    public var modelType: String
    /// `hidden_size`.
    public var hiddenSize: Int
    /// `intermediate_size`.
    public var intermediateSize: Int
    /// `num_hidden_layers`.
    public var layerCount: Int
    /// `num_attention_heads`.
    public var headCount: Int
    /// `num_key_value_heads` (defaults to the head count).
    public var keyValueHeadCount: Int
    /// `head_dim` (defaults to hidden size ÷ heads).
    public var headSize: Int
    /// `vocab_size`.
    public var vocabularySize: Int
    /// `max_position_embeddings`.
    public var maxPositionEmbeddings: Int
    /// `rms_norm_eps`.
    public var rmsNormEpsilon: Double
    /// `rope_theta`.
    public var ropeTheta: Double
    /// `rope_scaling`, when present and not null.
    public var ropeScaling: RopeScaling?
    /// `tie_word_embeddings` (transformers' default: true).
    public var tieWordEmbeddings: Bool
    /// `bos_token_id`, one or several.
    public var bosTokenIDs: [Int]
    /// `eos_token_id`, one or several.
    public var eosTokenIDs: [Int]
    /// `quantization_config`, kept as JSON text for the layer that understands it.
    public var quantizationConfigJSON: String?

    /// Reads `config.json` in `folder`.
    public init(folder: String) throws {
        try self.init(path: URL(fileURLWithPath: folder).appendingPathComponent("config.json").path)
    }

    /// Reads the config file at `path`.
    public init(path: String) throws {
        self.path = path
        let o = try HuggingFaceJSON.object(at: path)
        func int(_ key: String) throws -> Int? {
            guard let value = o[key], !(value is NSNull) else { return nil }
            guard let n = value as? NSNumber, n.doubleValue == n.doubleValue.rounded(), n.intValue > 0 else {
                throw CheckpointError.badConfigValue(path: path, key: key, reason: "is \(value), not a positive integer")
            }
            return n.intValue
        }
        func required(_ key: String) throws -> Int {
            guard let v = try int(key) else { throw CheckpointError.badConfigValue(path: path, key: key, reason: "is missing") }
            return v
        }
        func double(_ key: String, in object: [String: Any]? = nil) -> Double? {
            ((object ?? o)[key] as? NSNumber)?.doubleValue
        }
        architectures = o["architectures"] as? [String] ?? []
        modelType = o["model_type"] as? String ?? ""
        hiddenSize = try required("hidden_size")
        intermediateSize = try required("intermediate_size")
        layerCount = try required("num_hidden_layers")
        headCount = try required("num_attention_heads")
        keyValueHeadCount = try int("num_key_value_heads") ?? headCount
        headSize = try int("head_dim") ?? hiddenSize / headCount
        vocabularySize = try required("vocab_size")
        maxPositionEmbeddings = try int("max_position_embeddings") ?? 2048
        rmsNormEpsilon = double("rms_norm_eps") ?? 1e-6
        // transformers 5 writes `rope_parameters` (with rope_theta inside) where published
        // Llama-3.1 configs have `rope_scaling` and a top-level `rope_theta`; both mean the same.
        let ropeParameters = o["rope_parameters"] as? [String: Any]
        ropeTheta = double("rope_theta") ?? ropeParameters.flatMap { double("rope_theta", in: $0) } ?? 10_000
        tieWordEmbeddings = (o["tie_word_embeddings"] as? Bool) ?? true
        bosTokenIDs = HuggingFaceJSON.ids(o["bos_token_id"]) ?? []
        eosTokenIDs = HuggingFaceJSON.ids(o["eos_token_id"]) ?? []
        if let scaling = o["rope_scaling"] as? [String: Any] ?? ropeParameters {
            // rope_parameters always exists in transformers 5 configs; without a type it means plain RoPE.
            guard let type = (scaling["rope_type"] ?? scaling["type"]) as? String ?? (o["rope_scaling"] == nil ? "default" : nil) else {
                throw CheckpointError.badConfigValue(path: path, key: "rope_scaling", reason: "has no rope_type")
            }
            ropeScaling = RopeScaling(
                type: type, factor: double("factor", in: scaling) ?? 1,
                lowFrequencyFactor: double("low_freq_factor", in: scaling) ?? 1,
                highFrequencyFactor: double("high_freq_factor", in: scaling) ?? 4,
                originalMaxPositionEmbeddings: (scaling["original_max_position_embeddings"] as? NSNumber)?.intValue ?? 8192)
        }
        if let q = o["quantization_config"], !(q is NSNull) {
            let data = try JSONSerialization.data(withJSONObject: q, options: [.sortedKeys])
            quantizationConfigJSON = String(decoding: data, as: UTF8.self)
        }
    }
}
