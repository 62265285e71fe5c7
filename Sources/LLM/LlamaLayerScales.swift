/// Output scales of a layer's FP8 matrices (compressed-tensors `weight_scale`): the engine
/// multiplies the stored e4m3 values as they are and scales each output instead of expanding the
/// weights. One value scales every row (per-tensor); `rows` values scale row by row (per-channel).
/// Nil for a matrix that needs no scale.
public struct LlamaLayerScales: Sendable {
    /// Scales of the attention projections.
    public var query, key, value, attentionOutput: [Float]?
    /// Scales of the feed-forward projections.
    public var gate, up, down: [Float]?

    /// No scales.
    public init(query: [Float]? = nil, key: [Float]? = nil, value: [Float]? = nil, attentionOutput: [Float]? = nil,
                gate: [Float]? = nil, up: [Float]? = nil, down: [Float]? = nil) {
        (self.query, self.key, self.value, self.attentionOutput) = (query, key, value, attentionOutput)
        (self.gate, self.up, self.down) = (gate, up, down)
    }

    /// Scales `tokens` output rows of `width` values (one per weight row) at `y`, `stride` apart.
    @inlinable
    public static func apply(_ scale: [Float]?, to y: UnsafeMutablePointer<Float>, width: Int, stride: Int, tokens: Int) {
        guard let scale else { return }
        scale.withUnsafeBufferPointer { s in
            for t in 0..<tokens {
                let row = y + t * stride
                if s.count == 1 {
                    let v = s[0]
                    for i in 0..<width { row[i] *= v }
                } else {
                    for i in 0..<width { row[i] *= s[i] }
                }
            }
        }
    }
}
