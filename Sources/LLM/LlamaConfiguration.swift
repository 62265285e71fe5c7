import ModelFiles
import TensorNumerics

/// The hyperparameters of a Llama-family transformer.
public struct LlamaConfiguration: Sendable, Equatable {
    /// The number of transformer blocks.
    public var layerCount: Int
    /// The width of the residual stream.
    public var embeddingSize: Int
    /// The hidden width of the feed-forward blocks.
    public var feedForwardSize: Int
    /// Query heads.
    public var headCount: Int
    /// Key/value heads (fewer than query heads under grouped-query attention).
    public var keyValueHeadCount: Int
    /// The width of one head.
    public var headSize: Int
    /// The vocabulary size (rows of the embedding and output matrices).
    public var vocabularySize: Int
    /// The context length the model was trained for.
    public var contextLength: Int
    /// RMSNorm's epsilon.
    public var rmsNormEpsilon: Float
    /// RoPE's base frequency.
    public var ropeTheta: Float
    /// Dimensions of each head that RoPE rotates.
    public var ropeDimensions: Int
    /// Per-pair frequency divisors (Llama-3.1's `llama3` scaling), if any.
    public var ropeFrequencyFactors: [Float]?
    /// How RoPE pairs dimensions, which depends on the checkpoint's layout.
    public var ropePairing: RotaryEmbedding.Pairing

    /// Width of all query heads together.
    public var queryWidth: Int { headCount * headSize }
    /// Width of all key (or value) heads together.
    public var keyValueWidth: Int { keyValueHeadCount * headSize }

    /// Reads the `llama.*` metadata of a GGUF file (or that of another Llama-compatible architecture
    /// name, such as `mistral`, which uses the same keys under its own prefix).
    public init(gguf: GGUFFile) throws {
        let architecture = try gguf.string("general.architecture") ?? "llama"
        guard LlamaConfiguration.supportedArchitectures.contains(architecture) else {
            throw ModelError.unsupportedArchitecture(architecture, path: gguf.path)
        }
        func required(_ key: String) throws -> Int {
            guard let v = try gguf.int("\(architecture).\(key)") else {
                throw GGUFError.missingKey(path: gguf.path, key: "\(architecture).\(key)")
            }
            guard v > 0 else { throw ModelError.badHyperparameter(key: "\(architecture).\(key)", value: "\(v)", path: gguf.path) }
            return v
        }
        layerCount = try required("block_count")
        embeddingSize = try required("embedding_length")
        feedForwardSize = try required("feed_forward_length")
        headCount = try required("attention.head_count")
        keyValueHeadCount = try gguf.int("\(architecture).attention.head_count_kv") ?? headCount
        headSize = try gguf.int("\(architecture).attention.key_length") ?? embeddingSize / headCount
        contextLength = try gguf.int("\(architecture).context_length") ?? 4096
        rmsNormEpsilon = Float(try gguf.double("\(architecture).attention.layer_norm_rms_epsilon") ?? 1e-5)
        ropeTheta = Float(try gguf.double("\(architecture).rope.freq_base") ?? 10_000)
        ropeDimensions = try gguf.int("\(architecture).rope.dimension_count") ?? headSize
        let embedding = gguf.tensorInfo("token_embd.weight")
        vocabularySize = try gguf.int("\(architecture).vocab_size") ?? embedding?.rows
            ?? { throw GGUFError.missingTensor(path: gguf.path, tensor: "token_embd.weight") }()
        ropePairing = .adjacent
        ropeFrequencyFactors = nil
        if let factors = gguf.tensorInfo("rope_freqs.weight") {
            guard factors.format == .f32, factors.elementCount == ropeDimensions / 2 else {
                throw ModelError.wrongShape(tensor: "rope_freqs.weight", expected: "F32 [\(ropeDimensions / 2)]",
                                            found: "\(factors.format) \(factors.shape)", path: gguf.path)
            }
            let pointer = gguf.data(of: factors).assumingMemoryBound(to: Float.self)
            ropeFrequencyFactors = Array(UnsafeBufferPointer(start: pointer, count: factors.elementCount))
        }
        try validate(path: gguf.path)
    }

    /// Checks the relations between hyperparameters that the forward pass relies on.
    public func validate(path: String) throws {
        guard headCount % keyValueHeadCount == 0 else {
            throw ModelError.badHyperparameter(key: "head_count_kv", value: "\(keyValueHeadCount) does not divide head_count \(headCount)", path: path)
        }
        guard ropeDimensions <= headSize, ropeDimensions % 2 == 0 else {
            throw ModelError.badHyperparameter(key: "rope.dimension_count", value: "\(ropeDimensions) with head size \(headSize)", path: path)
        }
    }

    /// Architectures whose GGUF tensors and metadata follow Llama's.
    public static let supportedArchitectures: Set<String> = ["llama", "mistral"]
}
