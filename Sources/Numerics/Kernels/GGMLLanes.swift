/// ggml's accumulation order for the formats with 32 values per block, so that our products equal
/// llama.cpp's to the last bit: eight f32 lanes, lane k holding the exact integer sum of elements
/// 4k…4k+3 of each block (as `vpdpbusd`/`pmaddubsw` group them), each block added as
/// `fma(lane, d_w·d_x, acc)`, then summed as (0+4, 1+5, 2+6, 3+7) → (a+c, b+d) → one, with the
/// blocks' offset terms (`m·s`) chained by fused multiply-adds. llama.cpp's quantized models feed
/// these sums into 8-bit activation quantization, where a last-bit difference can flip a rounding.
enum GGMLLanes {
    /// The eight lane sums of one block from the products of its low (elements 0…15) and high
    /// (16…31) halves.
    @inline(__always)
    static func groups(low: SIMD16<Int32>, high: SIMD16<Int32>) -> SIMD8<Float> {
        SIMD8<Float>(
            Float(low[0] &+ low[1] &+ low[2] &+ low[3]), Float(low[4] &+ low[5] &+ low[6] &+ low[7]),
            Float(low[8] &+ low[9] &+ low[10] &+ low[11]), Float(low[12] &+ low[13] &+ low[14] &+ low[15]),
            Float(high[0] &+ high[1] &+ high[2] &+ high[3]), Float(high[4] &+ high[5] &+ high[6] &+ high[7]),
            Float(high[8] &+ high[9] &+ high[10] &+ high[11]), Float(high[12] &+ high[13] &+ high[14] &+ high[15]))
    }

    /// The horizontal sum of `hsum_float_8`.
    @inline(__always)
    static func sum(_ acc: SIMD8<Float>) -> Float {
        let r = acc.lowHalf + acc.highHalf
        return (r[0] + r[2]) + (r[1] + r[3])
    }

    /// One block's products, kept apart by half.
    @inline(__always)
    static func halves<K: QuantizedBlockDot, V: ActivationValues>(
        _: K.Type, _: V.Type, _ weights: (SIMD16<Int16>, SIMD16<Int16>), _ x: UnsafeRawPointer, _ index: Int
    ) -> (SIMD16<Int32>, SIMD16<Int32>) {
        (Lanes.i32(weights.0 &* V.load16(x, index)), Lanes.i32(weights.1 &* V.load16(x, index + 16)))
    }
}
