#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotary position embedding (RoPE) as Llama models use it.
///
/// GGUF Llama checkpoints rotate adjacent pairs (x[2i], x[2i+1]) because llama.cpp's converter
/// permutes the Q/K projection rows; Hugging Face checkpoints rotate the two halves
/// (x[i], x[i + d/2]). Both are the same rotation of differently ordered weights, so the
/// pairing is a property of the checkpoint, not of the model.
public struct RotaryEmbedding: Sendable {
    /// How the dimensions of a head are paired for rotation.
    public enum Pairing: Sendable {
        /// (x[2i], x[2i+1]): GGUF's layout (llama.cpp's ROPE_TYPE_NORM).
        case adjacent
        /// (x[i], x[i + d/2]): Hugging Face's layout (rotate_half, NeoX style).
        case halves
    }

    /// The rotated dimensions of each head.
    public let dimensions: Int
    /// The pairing of dimensions.
    public let pairing: Pairing
    /// The base frequency.
    public let theta: Float
    /// Per-pair frequency divisors, if any.
    public let frequencyFactors: [Float]?
    /// The ratio between the frequencies of consecutive pairs: theta^(-2/dimensions).
    public let frequencyRatio: Float

    /// A rotary embedding with base `theta` over `dimensions` dimensions. `frequencyFactors`
    /// divide each pair's frequency (Llama-3.1's `llama3` scaling, stored in GGUF as `rope_freqs`).
    public init(dimensions: Int, theta: Float, pairing: Pairing, frequencyFactors: [Float]? = nil) {
        self.dimensions = dimensions
        self.pairing = pairing
        self.theta = theta
        self.frequencyFactors = frequencyFactors
        frequencyRatio = powf(theta, -2 / Float(dimensions))
    }

    /// The per-pair divisors of Llama-3.1's `llama3` RoPE scaling, as transformers computes them:
    /// long wavelengths are slowed by `factor`, short ones kept, the band between interpolated.
    public static func llama3FrequencyFactors(
        dimensions: Int, theta: Float, factor: Float, lowFrequencyFactor: Float,
        highFrequencyFactor: Float, originalContext: Int
    ) -> [Float] {
        let lowWavelength = Float(originalContext) / lowFrequencyFactor
        let highWavelength = Float(originalContext) / highFrequencyFactor
        return (0..<dimensions / 2).map { i in
            let frequency = powf(theta, -Float(2 * i) / Float(dimensions))
            let wavelength = 2 * Float.pi / frequency
            if wavelength < highWavelength { return 1 }
            if wavelength > lowWavelength { return factor }
            let smooth = (Float(originalContext) / wavelength - lowFrequencyFactor) / (highFrequencyFactor - lowFrequencyFactor)
            return 1 / ((1 - smooth) / factor + smooth)
        }
    }

    /// Fills `cos` and `sin` (each `dimensions / 2` long) with the rotation of `position`.
    ///
    /// Each pair's angle is the previous one times `frequencyRatio`, in f32, as ggml computes its
    /// rotation cache, so the rotated keys and queries agree with llama.cpp's to the last bit.
    @inlinable
    public func angles(position: Int, cos: UnsafeMutablePointer<Float>, sin: UnsafeMutablePointer<Float>) {
        var angle = Float(position)
        for i in 0..<dimensions / 2 {
            let scaled = angle / (frequencyFactors?[i] ?? 1)
            cos[i] = cosf(scaled)
            sin[i] = sinf(scaled)
            angle *= frequencyRatio
        }
    }

    /// Rotates `heads` consecutive heads of `headSize` values each, in place, by precomputed angles.
    ///
    /// Each output is one product rounded and one fused into it — x₀cos − x₁sin as
    /// fma(x₀, cos, −(x₁sin)) and x₀sin + x₁cos as fma(x₀, sin, x₁cos) — the form llama.cpp's compiled rotation takes, so roped queries and
    /// keys are bit-identical to its (a last-bit difference can change their f16 rounding).
    @inlinable
    public func apply(
        _ x: UnsafeMutablePointer<Float>, heads: Int, headSize: Int,
        cos: UnsafePointer<Float>, sin: UnsafePointer<Float>
    ) {
        let half = dimensions / 2
        let stride = pairing == .adjacent ? 1 : half
        for h in 0..<heads {
            let head = x + h * headSize
            for i in 0..<half {
                let first = pairing == .adjacent ? 2 * i : i
                let a = head[first], b = head[first + stride]
                head[first] = (-(b * sin[i])).addingProduct(a, cos[i])
                head[first + stride] = (b * cos[i]).addingProduct(a, sin[i])
            }
        }
    }
}
