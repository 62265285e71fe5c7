import CNumerics

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

    /// The largest of `scores[0..<count]` (−∞ for none).
    @inlinable
    public static func maximum(_ scores: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD16<Float>(repeating: -.infinity)
        var i = 0
        while i + 16 <= count {
            let v = VectorOps.load16(scores + i)
            lanes.replace(with: v, where: v .> lanes)
            i += 16
        }
        var result = -Float.infinity
        for l in 0..<16 { result = max(result, lanes[l]) }
        while i < count {
            result = max(result, scores[i])
            i += 1
        }
        return result
    }

    /// Replaces `e[0..<count]` by the probabilities `f16(e[p] · inverseSum)`, as floats: llama.cpp
    /// rounds them to f16 before they weight the f16 values.
    @inlinable
    public static func roundProbabilities(_ e: UnsafeMutablePointer<Float>, count: Int, inverseSum: Float) {
        let factor = SIMD16<Float>(repeating: inverseSum)
        var i = 0
        while i + 16 <= count {
            VectorOps.store16(VectorOps.roundToHalf(VectorOps.load16(e + i) * factor), e + i)
            i += 16
        }
        while i < count {
            e[i] = Float(Float16(e[i] * inverseSum))
            i += 1
        }
    }

    /// `output[d] = Σₚ weights[p] · values[p][d]` for `p < count`, summed per column as llama.cpp's
    /// f16 dot product over positions in `order` sums it: position `p` goes to lane p mod 16
    /// (`.tiled`) or p mod 64 (`.vector`, whose four groups of sixteen lanes are combined
    /// (0+2)+(1+3)), and the lanes are then halved 8+8, 4+4, 2+2, 1+1.
    ///
    /// - Parameters:
    ///   - weights: the f16-valued probabilities (see ``roundProbabilities(_:count:inverseSum:)``).
    ///   - values: `count` f16 rows of at least `width` values, `valueStride` apart.
    public static func weightedSum(
        weights w: UnsafePointer<Float>, count: Int,
        values: UnsafePointer<Float16>, valueStride: Int, width: Int,
        output: UnsafeMutablePointer<Float>, order: HalfDotOrder
    ) {
        guard width >= 16 else {
            for d in 0..<width {
                output[d] = columnSum(weights: w, count: count, values: values + d, valueStride: valueStride, order: order)
            }
            return
        }
        // Sixteen columns at a time; the last block overlaps the one before it when width is not a
        // multiple of 16 (every column's sum depends on its own column only).
        var column = 0
        while column < width {
            let start = min(column, width - 16)
            let v = values + start
            let sum: SIMD16<Float>
            switch order {
            case .tiled:
                sum = lanes(weights: w, count: count, values: v, valueStride: valueStride, first: 0, period: 16).sum()
            case .vector:
                let evens = lanes(weights: w, count: count, values: v, valueStride: valueStride, first: 0, period: 64)
                    + lanes(weights: w, count: count, values: v, valueStride: valueStride, first: 32, period: 64)
                let odds = lanes(weights: w, count: count, values: v, valueStride: valueStride, first: 16, period: 64)
                    + lanes(weights: w, count: count, values: v, valueStride: valueStride, first: 48, period: 64)
                sum = (evens + odds).sum()
            }
            VectorOps.store16(sum, output + start)
            column += 16
        }
    }

    /// Sixteen accumulator lanes over the positions `first + period · m + l` (`l < 16`) below `count`.
    @inlinable @inline(__always)
    static func lanes(
        weights w: UnsafePointer<Float>, count: Int, values: UnsafePointer<Float16>, valueStride: Int,
        first: Int, period: Int
    ) -> SixteenLanes {
        var lanes = SixteenLanes()
        var p = first
        while p + 16 <= count {
            lanes.add(weights: w + p, rows: values + p * valueStride, stride: valueStride, lanes: 16)
            p += period
        }
        if p < count {
            lanes.add(weights: w + p, rows: values + p * valueStride, stride: valueStride, lanes: count - p)
        }
        return lanes
    }

    /// One column of ``weightedSum(weights:count:values:valueStride:width:output:order:)`` as an f16
    /// dot product over positions (for heads narrower than 16).
    @inlinable
    static func columnSum(
        weights w: UnsafePointer<Float>, count: Int, values: UnsafePointer<Float16>, valueStride: Int, order: HalfDotOrder
    ) -> Float {
        let laneCount = order == .vector ? 64 : 16
        var groups = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        for p in 0..<count {
            let product = w[p] * Float(values[p * valueStride])
            let lane = p % laneCount
            switch lane / 16 {
            case 0: groups.0[lane % 16] += product
            case 1: groups.1[lane % 16] += product
            case 2: groups.2[lane % 16] += product
            default: groups.3[lane % 16] += product
            }
        }
        return order == .vector
            ? VectorOps.reduce16((groups.0 + groups.2) + (groups.1 + groups.3))
            : VectorOps.reduce16(groups.0)
    }

    /// Whether ``weightedSums(weights:weightStride:counts:transposedValues:transposedStride:width:output:outputStride:)``
    /// has a vector kernel on this CPU (AVX-512); without one, ``weightedSum(weights:count:values:valueStride:width:output:order:)``
    /// over the values as stored is the faster way to the same numbers.
    public static var hasTransposedKernel: Bool { NativeRows.level >= 2 }

    /// Copies value rows (`valueStride` apart) `0..<count` into `transposed[d · transposedStride + p]`
    /// for each column `d < width`, and zeroes positions `count..<transposedStride`.
    public static func transpose(
        values: UnsafePointer<Float16>, valueStride: Int, count: Int, width: Int,
        into transposed: UnsafeMutablePointer<Float16>, transposedStride: Int
    ) {
        for d in 0..<width {
            let row = transposed + d * transposedStride
            for p in 0..<count { row[p] = values[p * valueStride + d] }
            (row + count).initialize(repeating: 0, count: transposedStride - count)
        }
    }

    /// Four rows of `weightedSum` in the `.tiled` order at once, from transposed values: row `i`
    /// sums positions `p < counts[i]` of its weights (`weights + i · weightStride`) into
    /// `output + i · outputStride`. Sharing each value load among four rows and reducing sixteen
    /// sums together makes it about twice as fast as four single rows.
    ///
    /// - Parameters:
    ///   - weights: each row with room for the largest count rounded up to 16.
    ///   - transposedValues: `width` rows from ``transpose(values:valueStride:count:width:into:transposedStride:)``,
    ///     each at least the largest count rounded up to 16 long.
    public static func weightedSums(
        weights: UnsafePointer<Float>, weightStride: Int, counts: (Int, Int, Int, Int),
        transposedValues: UnsafePointer<Float16>, transposedStride: Int, width: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int
    ) {
        if hasTransposedKernel {
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 4) { c in
                c[0] = counts.0; c[1] = counts.1; c[2] = counts.2; c[3] = counts.3
                cn_attention_weighted_sums(weights, weightStride, c.baseAddress!, UnsafeRawPointer(transposedValues),
                                           transposedStride, width, output, outputStride)
            }
            return
        }
        for i in 0..<4 {
            let count = i == 0 ? counts.0 : i == 1 ? counts.1 : i == 2 ? counts.2 : counts.3
            for d in 0..<width {
                output[i * outputStride + d] = columnSum(
                    weights: weights + i * weightStride, count: count, values: transposedValues + d * transposedStride,
                    valueStride: 1, order: .tiled)
            }
        }
    }
}
