#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exact (erf) GELU of BERT's feed-forward block, `x · Φ(x)`; not the tanh approximation.
public enum GELU {
    /// `x = 0.5 · x · (1 + erf(x / √2))`, in place.
    @inlinable
    public static func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let invSqrt2: Float = 0.70710678118654752440
        for i in 0..<count {
            let v = x[i]
            x[i] = 0.5 * v * (1 + erff(v * invSqrt2))
        }
    }
}
