/// ggml's accumulation order for the formats with 32 values per block, so that our products equal
/// llama.cpp's to the last bit: eight f32 lanes, lane k holding the exact integer sum of elements
/// 4k…4k+3 of each block (as `vpdpbusd`/`pmaddubsw` group them), each block added as
/// `fma(lane, d_w·d_x, acc)`, then summed as (0+4, 1+5, 2+6, 3+7) → (a+c, b+d) → one, with the
/// blocks' offset terms (`m·s`) chained by fused multiply-adds. llama.cpp's quantized models feed
/// these sums into 8-bit activation quantization, where a last-bit difference can flip a rounding.
enum GGMLLanes {
    /// The eight lane sums of one block from the products of its low (elements 0…15) and high
    /// (16…31) halves. The 32 products, in element order, are summed in adjacent pairs and then
    /// pairs of pairs through shifts on wider views of the same register, which vectorizes fully;
    /// integer sums are exact in any order, so this equals ggml's grouping.
    @inline(__always)
    static func groups(low: SIMD16<Int16>, high: SIMD16<Int16>) -> SIMD8<Float> {
        let words = unsafeBitCast((low, high), to: SIMD16<Int32>.self)
        let pairs = ((words &<< 16) &>> 16) &+ (words &>> 16)
        let wide = unsafeBitCast(pairs, to: SIMD8<Int64>.self)
        let quads = ((wide &<< 32) &>> 32) &+ (wide &>> 32)
        return SIMD8<Float>(
            Float(quads[0]), Float(quads[1]), Float(quads[2]), Float(quads[3]),
            Float(quads[4]), Float(quads[5]), Float(quads[6]), Float(quads[7]))
    }

    /// The horizontal sum of `hsum_float_8`.
    @inline(__always)
    static func sum(_ acc: SIMD8<Float>) -> Float {
        let r = acc.lowHalf + acc.highHalf
        return (r[0] + r[2]) + (r[1] + r[3])
    }

    /// One block's products, kept apart by half. They fit in Int16 for every 32-value format
    /// (at most 128 × 127).
    @inline(__always)
    static func halves<K: QuantizedBlockDot, V: ActivationValues>(
        _: K.Type, _: V.Type, _ weights: (SIMD16<Int16>, SIMD16<Int16>), _ x: UnsafeRawPointer, _ index: Int
    ) -> (SIMD16<Int16>, SIMD16<Int16>) {
        (weights.0 &* V.load16(x, index), weights.1 &* V.load16(x, index + 16))
    }
}
