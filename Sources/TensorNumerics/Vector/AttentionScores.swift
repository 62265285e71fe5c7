import CNumerics

/// Attention scores of four query rows against four key rows at once, each pair's dot product summed
/// in exactly the order of ``VectorOps/dot(_:_:count:order:)``, so bit-identical to it.
///
/// One pair alone costs four multiply-adds over a head of 64 and then a four-step horizontal
/// reduction, so the reductions dominate. A block of sixteen pairs loads each key once for four
/// queries and reduces all sixteen accumulators together (``reduceEach``) in fifteen vector adds,
/// each lane taking exactly the halving adds its own reduction would.
public enum AttentionScores {
    /// The dot products of four query rows with four key rows: lane `4 i + j` holds
    /// `dot(queries[i], keys[min(j, keyCount - 1)])` in `order`.
    ///
    /// - Parameters:
    ///   - queries: four rows of `width` f16-valued floats, `queryStride` apart.
    ///   - keys: f16 rows, `keyStride` apart; only the first `keyCount` (1...4) are read.
    @inlinable
    public static func block(
        queries: UnsafePointer<Float>, queryStride: Int,
        keys: UnsafePointer<Float16>, keyStride: Int, keyCount: Int,
        width: Int, order: HalfDotOrder
    ) -> SIMD16<Float> {
        let q0 = queries, q1 = queries + queryStride, q2 = queries + 2 * queryStride, q3 = queries + 3 * queryStride
        let k0 = keys
        let k1 = keys + min(1, keyCount - 1) * keyStride
        let k2 = keys + min(2, keyCount - 1) * keyStride
        let k3 = keys + min(3, keyCount - 1) * keyStride
        var i = 0
        var result: SIMD16<Float>
        switch order {
        case .tiled:
            var s00 = SIMD16<Float>(), s01 = SIMD16<Float>(), s02 = SIMD16<Float>(), s03 = SIMD16<Float>()
            var s10 = SIMD16<Float>(), s11 = SIMD16<Float>(), s12 = SIMD16<Float>(), s13 = SIMD16<Float>()
            var s20 = SIMD16<Float>(), s21 = SIMD16<Float>(), s22 = SIMD16<Float>(), s23 = SIMD16<Float>()
            var s30 = SIMD16<Float>(), s31 = SIMD16<Float>(), s32 = SIMD16<Float>(), s33 = SIMD16<Float>()
            while i + 16 <= width {
                let x0 = VectorOps.widen16(k0 + i), x1 = VectorOps.widen16(k1 + i)
                let x2 = VectorOps.widen16(k2 + i), x3 = VectorOps.widen16(k3 + i)
                let y0 = VectorOps.load16(q0 + i)
                s00.addProduct(y0, x0); s01.addProduct(y0, x1); s02.addProduct(y0, x2); s03.addProduct(y0, x3)
                let y1 = VectorOps.load16(q1 + i)
                s10.addProduct(y1, x0); s11.addProduct(y1, x1); s12.addProduct(y1, x2); s13.addProduct(y1, x3)
                let y2 = VectorOps.load16(q2 + i)
                s20.addProduct(y2, x0); s21.addProduct(y2, x1); s22.addProduct(y2, x2); s23.addProduct(y2, x3)
                let y3 = VectorOps.load16(q3 + i)
                s30.addProduct(y3, x0); s31.addProduct(y3, x1); s32.addProduct(y3, x2); s33.addProduct(y3, x3)
                i += 16
            }
            result = reduceEach(s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33)
        case .vector:
            let steps = width / 64 * 64
            @inline(__always) func pair(_ q: UnsafePointer<Float>, _ k: UnsafePointer<Float16>) -> SIMD16<Float> {
                var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
                var d = 0
                while d < steps {
                    a0.addProduct(VectorOps.load16(q + d), VectorOps.widen16(k + d))
                    a1.addProduct(VectorOps.load16(q + d + 16), VectorOps.widen16(k + d + 16))
                    a2.addProduct(VectorOps.load16(q + d + 32), VectorOps.widen16(k + d + 32))
                    a3.addProduct(VectorOps.load16(q + d + 48), VectorOps.widen16(k + d + 48))
                    d += 64
                }
                return (a0 + a2) + (a1 + a3)
            }
            result = reduceEach(
                pair(q0, k0), pair(q0, k1), pair(q0, k2), pair(q0, k3),
                pair(q1, k0), pair(q1, k1), pair(q1, k2), pair(q1, k3),
                pair(q2, k0), pair(q2, k1), pair(q2, k2), pair(q2, k3),
                pair(q3, k0), pair(q3, k1), pair(q3, k2), pair(q3, k3))
            i = steps
        }
        // The scalar tail of `dot`, lane by lane: the products of f16 values are exact, so a vector
        // multiply and add round exactly as its scalar `sum += a * b` does.
        while i < width {
            let q = SIMD16<Float>(
                q0[i], q0[i], q0[i], q0[i], q1[i], q1[i], q1[i], q1[i],
                q2[i], q2[i], q2[i], q2[i], q3[i], q3[i], q3[i], q3[i])
            let k = SIMD4<Float>(Float(k0[i]), Float(k1[i]), Float(k2[i]), Float(k3[i]))
            result += q * SIMD16(lowHalf: SIMD8(lowHalf: k, highHalf: k), highHalf: SIMD8(lowHalf: k, highHalf: k))
            i += 1
        }
        return result
    }

    /// `VectorOps.reduce16` of sixteen vectors at once: lane `i` of the result is `reduce16(v[i])`,
    /// bit for bit (each lane takes the same adds of the same halves: 8+8, 4+4, 2+2, 1+1).
    ///
    /// Each step adds two shuffles of two vectors, so that one add performs a halving step for
    /// two (then four, eight, sixteen) inputs: fifteen adds in all instead of sixty.
    @inlinable @inline(__always)
    public static func reduceEach(
        _ v0: SIMD16<Float>, _ v1: SIMD16<Float>, _ v2: SIMD16<Float>, _ v3: SIMD16<Float>,
        _ v4: SIMD16<Float>, _ v5: SIMD16<Float>, _ v6: SIMD16<Float>, _ v7: SIMD16<Float>,
        _ v8: SIMD16<Float>, _ v9: SIMD16<Float>, _ v10: SIMD16<Float>, _ v11: SIMD16<Float>,
        _ v12: SIMD16<Float>, _ v13: SIMD16<Float>, _ v14: SIMD16<Float>, _ v15: SIMD16<Float>
    ) -> SIMD16<Float> {
        // The four steps leave input 4j + k's sum in lane 4k + j; feeding the inputs transposed
        // puts input i's sum in lane i.
        let c0 = halves(v0, v4), c1 = halves(v8, v12), c2 = halves(v1, v5), c3 = halves(v9, v13)
        let c4 = halves(v2, v6), c5 = halves(v10, v14), c6 = halves(v3, v7), c7 = halves(v11, v15)
        let e0 = quarters(c0, c1), e1 = quarters(c2, c3), e2 = quarters(c4, c5), e3 = quarters(c6, c7)
        let g0 = eighths(e0, e1), g1 = eighths(e2, e3)
        return pairs(g0, g1)
    }

    /// Step 1: lanes l + (l + 8) of `a` in the low half, of `b` in the high half.
    @inlinable @inline(__always)
    static func halves(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16(lowHalf: a.lowHalf, highHalf: b.lowHalf) + SIMD16(lowHalf: a.highHalf, highHalf: b.highHalf)
    }

    /// Step 2: within each half, lanes l + (l + 4); the four inputs' sums land in the four 128-bit lanes.
    @inlinable @inline(__always)
    static func quarters(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        let low = SIMD16<Float>(
            a[0], a[1], a[2], a[3], a[8], a[9], a[10], a[11],
            b[0], b[1], b[2], b[3], b[8], b[9], b[10], b[11])
        let high = SIMD16<Float>(
            a[4], a[5], a[6], a[7], a[12], a[13], a[14], a[15],
            b[4], b[5], b[6], b[7], b[12], b[13], b[14], b[15])
        return low + high
    }

    /// Step 3: within each 128-bit lane, lanes l + (l + 2) of `a` then of `b`.
    @inlinable @inline(__always)
    static func eighths(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        let low = SIMD16<Float>(
            a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5],
            a[8], a[9], b[8], b[9], a[12], a[13], b[12], b[13])
        let high = SIMD16<Float>(
            a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7],
            a[10], a[11], b[10], b[11], a[14], a[15], b[14], b[15])
        return low + high
    }

    /// Step 4: within each 128-bit lane, lanes 2m + (2m + 1) of `a` then of `b`.
    @inlinable @inline(__always)
    static func pairs(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        let even = SIMD16<Float>(
            a[0], a[2], b[0], b[2], a[4], a[6], b[4], b[6],
            a[8], a[10], b[8], b[10], a[12], a[14], b[12], b[14])
        let odd = SIMD16<Float>(
            a[1], a[3], b[1], b[3], a[5], a[7], b[5], b[7],
            a[9], a[11], b[9], b[11], a[13], a[15], b[13], b[15])
        return even + odd
    }
}

extension AttentionScores {
    /// Writes `scale · dot(queries[i], keys[p])` for four query rows and every key `p < keyCount`
    /// into `scores + i · scoreStride + p`, summed in `order` (bit-identical to
    /// ``VectorOps/dot(_:_:count:order:)`` times `scale`).
    ///
    /// `queries` must hold four rows (repeat one to compute fewer); each score row must have room
    /// for `keyCount` rounded up to a multiple of 4. With AVX-512 the C kernel computes the same
    /// numbers (LLVM merges the reduction's shuffles of the Swift code into slow sequences).
    public static func rows(
        queries: UnsafePointer<Float>, queryStride: Int,
        keys: UnsafePointer<Float16>, keyStride: Int, keyCount: Int, width: Int, order: HalfDotOrder,
        scale: Float, scores: UnsafeMutablePointer<Float>, scoreStride: Int
    ) {
        if NativeRows.level >= 2 {
            cn_attention_scores(queries, queryStride, UnsafeRawPointer(keys), keyStride, keyCount, width,
                                order == .tiled ? 1 : 0, scale, scores, scoreStride)
            return
        }
        let factor = SIMD16<Float>(repeating: scale)
        var p = 0
        while p < keyCount {
            let s = block(
                queries: queries, queryStride: queryStride, keys: keys + p * keyStride, keyStride: keyStride,
                keyCount: min(4, keyCount - p), width: width, order: order) * factor
            let row = UnsafeMutableRawPointer(scores + p)
            let rowBytes = scoreStride * MemoryLayout<Float>.stride
            row.storeBytes(of: s.lowHalf.lowHalf, as: SIMD4<Float>.self)
            row.storeBytes(of: s.lowHalf.highHalf, toByteOffset: rowBytes, as: SIMD4<Float>.self)
            row.storeBytes(of: s.highHalf.lowHalf, toByteOffset: 2 * rowBytes, as: SIMD4<Float>.self)
            row.storeBytes(of: s.highHalf.highHalf, toByteOffset: 3 * rowBytes, as: SIMD4<Float>.self)
            p += 4
        }
    }
}
