/// Layer normalisation over one vector, as BERT uses it after every residual sum.
public enum LayerNorm {
    /// `output = (x - mean) / sqrt(var + epsilon) * weight + bias` with the biased variance.
    /// `output` may alias `x`. Sums run in double: BERT's eps (1e-12) leaves no slack for a
    /// cancelling f32 variance on vectors with a large mean.
    @inlinable
    public static func normalize(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                                 count: Int, epsilon: Float, output: UnsafeMutablePointer<Float>) {
        var sum: Double = 0
        for i in 0..<count { sum += Double(x[i]) }
        let mean = sum / Double(count)
        var squares: Double = 0
        for i in 0..<count {
            let d = Double(x[i]) - mean
            squares += d * d
        }
        let scale = Float(1 / (squares / Double(count) + Double(epsilon)).squareRoot())
        let m = Float(mean)
        for i in 0..<count {
            output[i] = (x[i] - m) * scale * weight[i] + bias[i]
        }
    }
}
