#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numerically stable softmax over one vector.
public enum Softmax {
    /// `x[i] = exp(x[i] - max) / Σ exp(x[j] - max)`, in place; the sum runs in double.
    @inlinable
    public static func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        var maximum = x[0]
        for i in 1..<count where x[i] > maximum { maximum = x[i] }
        var sum: Double = 0
        for i in 0..<count {
            let e = expf(x[i] - maximum)
            x[i] = e
            sum += Double(e)
        }
        let inverse = Float(1 / sum)
        for i in 0..<count { x[i] *= inverse }
    }

    /// The softmax of `values` as a new array.
    public static func probabilities(_ values: [Float]) -> [Float] {
        var out = values
        out.withUnsafeMutableBufferPointer { apply($0.baseAddress!, count: $0.count) }
        return out
    }
}
