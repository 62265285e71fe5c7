/// Row × tokens loops over quantized weights, generic over the block format and the activation storage and
/// specialized for each.
///
/// Tokens are taken four at a time, over blocks of `rowBlock` rows: each weight sub-block is decoded once into
/// registers and multiplied with four tokens' activations, which quarters the decoding work in prefill. A lone token (decode) uses the same
/// arithmetic in the same order, so a token's result does not depend on how many others share the call.
/// Each token keeps two Float accumulators (even and odd blocks) to hide the FMA latency.
enum QuantizedRows {
    /// Rows `rows` of `w` against every token of `act`, into `y[t * yStride + r]`.
    static func run<K: QuantizedBlockDot>(_ k: K.Type, _ w: WeightMatrix, _ rows: Range<Int>, _ act: ActivationBuffer,
                                          _ tokens: Int, _ y: UnsafeMutablePointer<Float>, _ yStride: Int) {
        if act.layout.wideValues {
            run(k, WideValues.self, w, rows, act, tokens, y, yStride)
        } else {
            run(k, NarrowValues.self, w, rows, act, tokens, y, yStride)
        }
    }

    @inline(never)
    static func run<K: QuantizedBlockDot, V: ActivationValues>(
        _: K.Type, _: V.Type, _ w: WeightMatrix, _ rows: Range<Int>, _ act: ActivationBuffer,
        _ tokens: Int, _ y: UnsafeMutablePointer<Float>, _ yStride: Int
    ) {
        let blocks = w.columns / K.blockElements
        // Blocks of rows that stay in cache while every group of four tokens (then each remaining token) passes
        // over them, so that a token's activations are read once per block rather than once per row.
        var block = rows.lowerBound
        while block < rows.upperBound {
            let blockRows = block..<Swift.min(block + rowBlock, rows.upperBound)
            var t = 0
            while t + 4 <= tokens {
                let x0 = act.token(t), x1 = act.token(t + 1), x2 = act.token(t + 2), x3 = act.token(t + 3)
                for r in blockRows {
                    let row = w.base + r * w.rowBytes
                    let v = K.blockElements == 32
                        ? ggmlDot4(K.self, V.self, row, blocks, x0, x1, x2, x3)
                        : dot4(K.self, V.self, row, blocks, x0, x1, x2, x3)
                    y[t * yStride + r] = v.0
                    y[(t + 1) * yStride + r] = v.1
                    y[(t + 2) * yStride + r] = v.2
                    y[(t + 3) * yStride + r] = v.3
                }
                t += 4
            }
            while t < tokens {
                for r in blockRows {
                    let row = w.base + r * w.rowBytes
                    y[t * yStride + r] = K.blockElements == 32
                        ? ggmlDot1(K.self, V.self, row, blocks, act.token(t))
                        : dot1(K.self, V.self, row, blocks, act.token(t))
                }
                t += 1
            }
            block = blockRows.upperBound
        }
    }

    /// Rows per cache block in prefill (as the C kernels' `CN_ROW_BLOCK`).
    static let rowBlock = 16

    @inline(__always)
    static func blockSum<K: QuantizedBlockDot, V: ActivationValues>(
        _: K.Type, _: V.Type, _ wb: UnsafeRawPointer, _ x: ActivationToken, _ b: Int
    ) -> SIMD16<Int32> {
        var sum = SIMD16<Int32>()
        for j in 0..<K.blockElements / 32 {
            sum &+= K.subBlockSum(K.weights(wb, j), wb, j, V.self, x.values, b * K.blockElements + 32 * j)
        }
        return sum
    }

    @inline(__always)
    static func dot1<K: QuantizedBlockDot, V: ActivationValues>(
        _: K.Type, _: V.Type, _ row: UnsafeRawPointer, _ blocks: Int, _ x: ActivationToken
    ) -> Float {
        var even = SIMD16<Float>(), odd = SIMD16<Float>(), offsetEven: Float = 0, offsetOdd: Float = 0
        var b = 0
        var wb = row
        while b + 2 <= blocks {
            even.addProduct(Lanes.float(blockSum(K.self, V.self, wb, x, b)), SIMD16(repeating: K.scale(wb) * x.scales[b]))
            offsetEven += K.offset(wb, x, b)
            let wn = wb + K.blockBytes
            odd.addProduct(Lanes.float(blockSum(K.self, V.self, wn, x, b + 1)), SIMD16(repeating: K.scale(wn) * x.scales[b + 1]))
            offsetOdd += K.offset(wn, x, b + 1)
            wb += 2 * K.blockBytes
            b += 2
        }
        if b < blocks {
            even.addProduct(Lanes.float(blockSum(K.self, V.self, wb, x, b)), SIMD16(repeating: K.scale(wb) * x.scales[b]))
            offsetEven += K.offset(wb, x, b)
        }
        return (even + odd).sum() + (offsetEven + offsetOdd)
    }

    /// One row × one token of a 32-value format, in ggml's order (see ``GGMLLanes``).
    @inline(__always)
    static func ggmlDot1<K: QuantizedBlockDot, V: ActivationValues>(
        _: K.Type, _: V.Type, _ row: UnsafeRawPointer, _ blocks: Int, _ x: ActivationToken
    ) -> Float {
        var acc = SIMD8<Float>()
        var offsets: Float = 0
        var wb = row
        for b in 0..<blocks {
            let (low, high) = GGMLLanes.halves(K.self, V.self, K.weights(wb, 0), x.values, b * 32)
            acc.addProduct(GGMLLanes.groups(low: low, high: high), SIMD8(repeating: K.scale(wb) * x.scales[b]))
            let (m, sx) = K.offsetFactors(wb, x, b)
            offsets = offsets.addingProduct(m, sx)
            wb += K.blockBytes
        }
        return GGMLLanes.sum(acc) + offsets
    }

    /// One row × four tokens of a 32-value format, each token summed exactly as ``ggmlDot1`` sums it.
    @inline(__always)
    static func ggmlDot4<K: QuantizedBlockDot, V: ActivationValues>(
        _: K.Type, _: V.Type, _ row: UnsafeRawPointer, _ blocks: Int,
        _ x0: ActivationToken, _ x1: ActivationToken, _ x2: ActivationToken, _ x3: ActivationToken
    ) -> (Float, Float, Float, Float) {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var f0: Float = 0, f1: Float = 0, f2: Float = 0, f3: Float = 0
        var wb = row
        for b in 0..<blocks {
            let weights = K.weights(wb, 0)
            let d = K.scale(wb)
            var (low, high) = GGMLLanes.halves(K.self, V.self, weights, x0.values, b * 32)
            a0.addProduct(GGMLLanes.groups(low: low, high: high), SIMD8(repeating: d * x0.scales[b]))
            (low, high) = GGMLLanes.halves(K.self, V.self, weights, x1.values, b * 32)
            a1.addProduct(GGMLLanes.groups(low: low, high: high), SIMD8(repeating: d * x1.scales[b]))
            (low, high) = GGMLLanes.halves(K.self, V.self, weights, x2.values, b * 32)
            a2.addProduct(GGMLLanes.groups(low: low, high: high), SIMD8(repeating: d * x2.scales[b]))
            (low, high) = GGMLLanes.halves(K.self, V.self, weights, x3.values, b * 32)
            a3.addProduct(GGMLLanes.groups(low: low, high: high), SIMD8(repeating: d * x3.scales[b]))
            f0 = f0.addingProduct(K.offsetFactors(wb, x0, b).0, K.offsetFactors(wb, x0, b).1)
            f1 = f1.addingProduct(K.offsetFactors(wb, x1, b).0, K.offsetFactors(wb, x1, b).1)
            f2 = f2.addingProduct(K.offsetFactors(wb, x2, b).0, K.offsetFactors(wb, x2, b).1)
            f3 = f3.addingProduct(K.offsetFactors(wb, x3, b).0, K.offsetFactors(wb, x3, b).1)
            wb += K.blockBytes
        }
        return (GGMLLanes.sum(a0) + f0, GGMLLanes.sum(a1) + f1, GGMLLanes.sum(a2) + f2, GGMLLanes.sum(a3) + f3)
    }

    @inline(__always)
    static func dot4<K: QuantizedBlockDot, V: ActivationValues>(
        _: K.Type, _: V.Type, _ row: UnsafeRawPointer, _ blocks: Int,
        _ x0: ActivationToken, _ x1: ActivationToken, _ x2: ActivationToken, _ x3: ActivationToken
    ) -> (Float, Float, Float, Float) {
        var e0 = SIMD16<Float>(), e1 = SIMD16<Float>(), e2 = SIMD16<Float>(), e3 = SIMD16<Float>()
        var o0 = SIMD16<Float>(), o1 = SIMD16<Float>(), o2 = SIMD16<Float>(), o3 = SIMD16<Float>()
        var f0e: Float = 0, f1e: Float = 0, f2e: Float = 0, f3e: Float = 0
        var f0o: Float = 0, f1o: Float = 0, f2o: Float = 0, f3o: Float = 0
        var wb = row
        for b in 0..<blocks {
            var s0 = SIMD16<Int32>(), s1 = SIMD16<Int32>(), s2 = SIMD16<Int32>(), s3 = SIMD16<Int32>()
            for j in 0..<K.blockElements / 32 {
                let weights = K.weights(wb, j)
                let index = b * K.blockElements + 32 * j
                s0 &+= K.subBlockSum(weights, wb, j, V.self, x0.values, index)
                s1 &+= K.subBlockSum(weights, wb, j, V.self, x1.values, index)
                s2 &+= K.subBlockSum(weights, wb, j, V.self, x2.values, index)
                s3 &+= K.subBlockSum(weights, wb, j, V.self, x3.values, index)
            }
            let d = K.scale(wb)
            if b & 1 == 0 {
                e0.addProduct(Lanes.float(s0), SIMD16(repeating: d * x0.scales[b]))
                e1.addProduct(Lanes.float(s1), SIMD16(repeating: d * x1.scales[b]))
                e2.addProduct(Lanes.float(s2), SIMD16(repeating: d * x2.scales[b]))
                e3.addProduct(Lanes.float(s3), SIMD16(repeating: d * x3.scales[b]))
                f0e += K.offset(wb, x0, b); f1e += K.offset(wb, x1, b); f2e += K.offset(wb, x2, b); f3e += K.offset(wb, x3, b)
            } else {
                o0.addProduct(Lanes.float(s0), SIMD16(repeating: d * x0.scales[b]))
                o1.addProduct(Lanes.float(s1), SIMD16(repeating: d * x1.scales[b]))
                o2.addProduct(Lanes.float(s2), SIMD16(repeating: d * x2.scales[b]))
                o3.addProduct(Lanes.float(s3), SIMD16(repeating: d * x3.scales[b]))
                f0o += K.offset(wb, x0, b); f1o += K.offset(wb, x1, b); f2o += K.offset(wb, x2, b); f3o += K.offset(wb, x3, b)
            }
            wb += K.blockBytes
        }
        return ((e0 + o0).sum() + (f0e + f0o), (e1 + o1).sum() + (f1e + f1o),
                (e2 + o2).sum() + (f2e + f2o), (e3 + o3).sum() + (f3e + f3o))
    }
}
