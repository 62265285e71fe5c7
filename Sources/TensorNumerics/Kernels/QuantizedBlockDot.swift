/// Dot products of quantized weight blocks with the matching blocks of quantized activations.
///
/// Each kernel computes what ggml's `ggml_vec_dot_<weights>_<activations>` computes for one block: exact
/// integer products and sums, scaled by the weight and activation scales in Float (and, for formats with a
/// minimum, the minimum times the activation sum). Only the order of the Float additions differs from ggml's.
///
/// How the integer part is shaped for this CPU (measured; see the report): weights are widened once to two
/// vectors of 16 Int16 lanes (`vpmovsxbw`/`vpmovzxbw`), multiplied with the activations that
/// `ActivationQuantizer` already stored as Int16 (`vpmullw`, products fit 16 bits), the two vectors added in
/// Int16 (sums of two products still fit),
/// then widened to Int32 and converted to Float for one FMA per block into a SIMD16<Float> accumulator. This
/// avoids the four byte→Int32 widenings per block (shuffle-port bound on Zen 4) and any horizontal sum per
/// block. All conversions are spelled out lane by lane (`Lanes`); the generic SIMD conversions are slow.

protocol QuantizedBlockDot {
    /// Weight values per block (32 or 256).
    static var blockElements: Int { get }
    /// Bytes per weight block.
    static var blockBytes: Int { get }
    /// Whether sub-blocks carry integer scales (the K-quants); 32-value blocks have none.
    static var hasSubScales: Bool { get }
    /// Whether the two halves (16 values each) of a sub-block have different scales (Q6_K).
    static var halvesScaledApart: Bool { get }
    /// The 32 integer weights of sub-block `j` (0..<blockElements/32) of the block at `w`, values 32j..<32j+16
    /// and 32j+16..<32j+32, without sub-block scales; |weight| ≤ 128 so that a product with an activation fits
    /// Int16, and the sum of two products too.
    static func weights(_ w: UnsafeRawPointer, _ j: Int) -> (SIMD16<Int16>, SIMD16<Int16>)
    /// The integer scales of the first and second half of sub-block `j` (equal unless `halvesScaledApart`).
    static func subScales(_ w: UnsafeRawPointer, _ j: Int) -> (Int32, Int32)
    /// The block's Float scale: the dot product is scale · d_x · Σ sub-scale · weights · x + `offset`.
    static func scale(_ w: UnsafeRawPointer) -> Float
    /// The part of the block's dot product not proportional to the weights (minimum × activation sums), or 0.
    static func offset(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float
    /// The two factors of `offset` (m_w and s_x), for ggml's fused accumulation; (0, 0) when none.
    static func offsetFactors(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> (Float, Float)
}

extension QuantizedBlockDot {
    @inline(__always) static var hasSubScales: Bool { false }
    @inline(__always) static var halvesScaledApart: Bool { false }
    @inline(__always) static func subScales(_ w: UnsafeRawPointer, _ j: Int) -> (Int32, Int32) { (1, 1) }
    @inline(__always) static func offset(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> Float { 0 }
    @inline(__always) static func offsetFactors(_ w: UnsafeRawPointer, _ x: ActivationToken, _ b: Int) -> (Float, Float) { (0, 0) }

    /// Σ over sub-block `j` of weights × the 32 activations from value `index` of `x`, as 16 Int32 lanes,
    /// sub-scales applied.
    @inline(__always) static func subBlockSum<V: ActivationValues>(
        _ weights: (SIMD16<Int16>, SIMD16<Int16>), _ w: UnsafeRawPointer, _ j: Int, _: V.Type,
        _ x: UnsafeRawPointer, _ index: Int
    ) -> SIMD16<Int32> {
        let low = weights.0 &* V.load16(x, index)
        let high = weights.1 &* V.load16(x, index + 16)
        if halvesScaledApart {
            let (s0, s1) = subScales(w, j)
            return Lanes.i32(low) &* s0 &+ Lanes.i32(high) &* s1
        }
        let sum = Lanes.i32(low &+ high)
        return hasSubScales ? sum &* subScales(w, j).0 : sum
    }
}
