/// The softmax and probability-weighted sum of one attention row, summed in ggml's order.
///
/// llama.cpp pads the positions of a row to a multiple of 256 with masked (zero-probability)
/// entries, exponentiates in 16-lane vectors, and sums values with an f16 dot product over
/// positions; mirroring that order and those roundings keeps our attention output identical to its.
public enum AttentionSoftmax {
    /// Replaces `scores[0..<count]` by `exp(score − maximum)` and returns their sum. `scores` must
    /// have room for `count` rounded up to 16 (the padding lanes are written and hold zeros after).
    @inlinable
    public static func exponentiate(_ scores: UnsafeMutablePointer<Float>, count: Int, maximum: Float) -> Double {
        var sum: Double = 0
        var i = 0
        while i < count {
            var chunk: SIMD16<Float>
            if i + 16 <= count {
                chunk = UnsafeRawPointer(scores + i).loadUnaligned(as: SIMD16<Float>.self)
            } else {
                chunk = SIMD16<Float>(repeating: -.infinity)
                for lane in 0..<(count - i) { chunk[lane] = scores[i + lane] }
            }
            let e = VectorExp.exp(chunk - SIMD16(repeating: maximum))
            UnsafeMutableRawPointer(scores + i).storeBytes(of: e, as: SIMD16<Float>.self)
            sum += Double(VectorOps.reduce16(e))
            i += 16
        }
        return sum
    }

    /// `output[d] = Σₚ f16(e[p] · inverseSum) · values[p][d]`, summed over positions in `order`:
    /// each product goes to lane p mod 64 (or 16) of `lanes` (64 × `width` floats of scratch), and
    /// the lanes are then reduced as that order reduces them.
    @inlinable
    public static func weightedSum(
        probabilities e: UnsafePointer<Float>, inverseSum: Float, count: Int,
        values: UnsafePointer<Float16>, valueStride: Int, width: Int,
        lanes: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, order: HalfDotOrder
    ) {
        let laneCount = order == .vector ? 64 : 16
        lanes.initialize(repeating: 0, count: laneCount * width)
        for p in 0..<count {
            let weight = Float(Float16(e[p] * inverseSum))
            VectorOps.addScaled(values + p * valueStride, alpha: weight, to: lanes + (p % laneCount) * width, count: width)
        }
        for d in 0..<width {
            func group(_ j: Int) -> SIMD16<Float> {
                var v = SIMD16<Float>()
                for l in 0..<16 { v[l] = lanes[(16 * j + l) * width + d] }
                return v
            }
            output[d] = order == .vector
                ? VectorOps.reduce16((group(0) + group(2)) + (group(1) + group(3)))
                : VectorOps.reduce16(group(0))
        }
    }
}
