/// Sixteen vector accumulators standing for the sixteen lanes of one ggml f16 dot-product
/// accumulator, for sixteen adjacent output columns at once: `a[l]` holds, per column, what lane `l`
/// of that column's accumulator holds.
///
/// The probability-weighted sum of values is, per output column, a dot product over positions in
/// which position `p` goes to lane `p mod 16`. Keeping a lane per register instead of a column per
/// register turns the final lane reduction into fifteen vector adds, and no accumulator leaves the
/// registers while the positions stream by.
@usableFromInline
struct SixteenLanes {
    @usableFromInline var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
    @usableFromInline var a4 = SIMD16<Float>(), a5 = SIMD16<Float>(), a6 = SIMD16<Float>(), a7 = SIMD16<Float>()
    @usableFromInline var a8 = SIMD16<Float>(), a9 = SIMD16<Float>(), a10 = SIMD16<Float>(), a11 = SIMD16<Float>()
    @usableFromInline var a12 = SIMD16<Float>(), a13 = SIMD16<Float>(), a14 = SIMD16<Float>(), a15 = SIMD16<Float>()

    @inlinable @inline(__always)
    init() {}

    /// Lane `l` (for `l < lanes`) adds `weights[l] · rows[l]`, the rows `stride` apart.
    @inlinable @inline(__always)
    mutating func add(weights w: UnsafePointer<Float>, rows v: UnsafePointer<Float16>, stride s: Int, lanes n: Int) {
        @inline(__always) func term(_ l: Int) -> (SIMD16<Float>, SIMD16<Float>) {
            (SIMD16(repeating: w[l]), VectorOps.widen16(v + l * s))
        }
        if n == 16 {
            a0.addProduct(term(0).0, term(0).1); a1.addProduct(term(1).0, term(1).1)
            a2.addProduct(term(2).0, term(2).1); a3.addProduct(term(3).0, term(3).1)
            a4.addProduct(term(4).0, term(4).1); a5.addProduct(term(5).0, term(5).1)
            a6.addProduct(term(6).0, term(6).1); a7.addProduct(term(7).0, term(7).1)
            a8.addProduct(term(8).0, term(8).1); a9.addProduct(term(9).0, term(9).1)
            a10.addProduct(term(10).0, term(10).1); a11.addProduct(term(11).0, term(11).1)
            a12.addProduct(term(12).0, term(12).1); a13.addProduct(term(13).0, term(13).1)
            a14.addProduct(term(14).0, term(14).1); a15.addProduct(term(15).0, term(15).1)
            return
        }
        // A partial block touches only its lanes: a lane beyond it must stay exactly as it is.
        if n > 0 { a0.addProduct(term(0).0, term(0).1) }
        if n > 1 { a1.addProduct(term(1).0, term(1).1) }
        if n > 2 { a2.addProduct(term(2).0, term(2).1) }
        if n > 3 { a3.addProduct(term(3).0, term(3).1) }
        if n > 4 { a4.addProduct(term(4).0, term(4).1) }
        if n > 5 { a5.addProduct(term(5).0, term(5).1) }
        if n > 6 { a6.addProduct(term(6).0, term(6).1) }
        if n > 7 { a7.addProduct(term(7).0, term(7).1) }
        if n > 8 { a8.addProduct(term(8).0, term(8).1) }
        if n > 9 { a9.addProduct(term(9).0, term(9).1) }
        if n > 10 { a10.addProduct(term(10).0, term(10).1) }
        if n > 11 { a11.addProduct(term(11).0, term(11).1) }
        if n > 12 { a12.addProduct(term(12).0, term(12).1) }
        if n > 13 { a13.addProduct(term(13).0, term(13).1) }
        if n > 14 { a14.addProduct(term(14).0, term(14).1) }
    }

    /// Lane by lane `a + b`.
    @inlinable @inline(__always)
    static func + (a: SixteenLanes, b: SixteenLanes) -> SixteenLanes {
        var r = a
        r.a0 += b.a0; r.a1 += b.a1; r.a2 += b.a2; r.a3 += b.a3
        r.a4 += b.a4; r.a5 += b.a5; r.a6 += b.a6; r.a7 += b.a7
        r.a8 += b.a8; r.a9 += b.a9; r.a10 += b.a10; r.a11 += b.a11
        r.a12 += b.a12; r.a13 += b.a13; r.a14 += b.a14; r.a15 += b.a15
        return r
    }

    /// Per column, the sixteen lanes summed as `VectorOps.reduce16` sums them (8+8, 4+4, 2+2, 1+1).
    @inlinable @inline(__always)
    func sum() -> SIMD16<Float> {
        let h0 = a0 + a8, h1 = a1 + a9, h2 = a2 + a10, h3 = a3 + a11
        let h4 = a4 + a12, h5 = a5 + a13, h6 = a6 + a14, h7 = a7 + a15
        let q0 = h0 + h4, q1 = h1 + h5, q2 = h2 + h6, q3 = h3 + h7
        return (q0 + q2) + (q1 + q3)
    }
}
