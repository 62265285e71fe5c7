import ModelFiles
import TensorNumerics

extension LlamaConfiguration {
    /// Hugging Face architectures whose tensors and config follow LlamaForCausalLM's.
    public static let supportedHuggingFaceArchitectures: Set<String> = ["LlamaForCausalLM", "MistralForCausalLM"]

    /// The hyperparameters of a Hugging Face checkpoint's `config.json`.
    ///
    /// Hugging Face Q/K projections rotate the two halves of each head, so RoPE pairs `.halves`;
    /// `rope_scaling` of type `llama3` becomes per-pair frequency factors, computed as transformers does.
    public init(huggingFace h: HuggingFaceConfig) throws {
        if let architecture = h.architectures.first(where: { !LlamaConfiguration.supportedHuggingFaceArchitectures.contains($0) }) {
            throw ModelError.unsupportedArchitecture(architecture, path: h.path)
        }
        layerCount = h.layerCount
        embeddingSize = h.hiddenSize
        feedForwardSize = h.intermediateSize
        headCount = h.headCount
        keyValueHeadCount = h.keyValueHeadCount
        headSize = h.headSize
        vocabularySize = h.vocabularySize
        contextLength = h.maxPositionEmbeddings
        rmsNormEpsilon = Float(h.rmsNormEpsilon)
        ropeTheta = Float(h.ropeTheta)
        ropeDimensions = h.headSize
        ropePairing = .halves
        ropeFrequencyFactors = nil
        if let scaling = h.ropeScaling {
            switch scaling.type {
            case "llama3":
                ropeFrequencyFactors = RotaryEmbedding.llama3FrequencyFactors(
                    dimensions: ropeDimensions, theta: ropeTheta, factor: Float(scaling.factor),
                    lowFrequencyFactor: Float(scaling.lowFrequencyFactor), highFrequencyFactor: Float(scaling.highFrequencyFactor),
                    originalContext: scaling.originalMaxPositionEmbeddings)
            case "default":
                break
            default:
                // Linear, dynamic and YaRN scalings change attention too; running without them would be silently wrong.
                throw ModelError.badHyperparameter(key: "rope_scaling.rope_type", value: scaling.type, path: h.path)
            }
        }
        try validate(path: h.path)
    }
}
