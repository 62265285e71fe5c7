/// Row × tokens loops over float-like weights. As for the quantized formats, four tokens share each weight load
/// in prefill, and a lone token runs the same arithmetic in the same order (four SIMD16 accumulators per token
/// over chunks of 64 values, then chunks of 16, then a scalar tail).
enum FloatRows {
    @inline(never)
    static func run<F: FloatWeights>(_: F.Type, _ w: WeightMatrix, _ rows: Range<Int>, _ act: ActivationBuffer,
                                     _ tokens: Int, _ y: UnsafeMutablePointer<Float>, _ yStride: Int) {
        let n = w.columns
        // Blocks of rows that stay in cache while every group of four tokens passes over them (each token's
        // activations are then read once per block, not once per row).
        var block = rows.lowerBound
        while block < rows.upperBound {
            let blockRows = block..<Swift.min(block + QuantizedRows.rowBlock, rows.upperBound)
            var t = 0
            while t + 4 <= tokens {
                let x0 = act.token(t).values, x1 = act.token(t + 1).values
                let x2 = act.token(t + 2).values, x3 = act.token(t + 3).values
                for r in blockRows {
                    let v = dot4(F.self, w.base + r * w.rowBytes, n, x0, x1, x2, x3)
                    y[t * yStride + r] = v.0
                    y[(t + 1) * yStride + r] = v.1
                    y[(t + 2) * yStride + r] = v.2
                    y[(t + 3) * yStride + r] = v.3
                }
                t += 4
            }
            while t < tokens {
                for r in blockRows { y[t * yStride + r] = dot1(F.self, w.base + r * w.rowBytes, n, act.token(t).values) }
                t += 1
            }
            block = blockRows.upperBound
        }
    }

    /// The accumulators of one token.
    struct Sums {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        @inline(__always) mutating func add64<F: FloatWeights>(_: F.Type, _ w: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>),
                                                               _ x: UnsafeRawPointer, _ i: Int) {
            a0.addProduct(w.0, F.activations16(x, i))
            a1.addProduct(w.1, F.activations16(x, i + 16))
            a2.addProduct(w.2, F.activations16(x, i + 32))
            a3.addProduct(w.3, F.activations16(x, i + 48))
        }
        @inline(__always) func total() -> Float { ((a0 + a1) + (a2 + a3)).sum() }
    }

    @inline(__always) static func four<F: FloatWeights>(_: F.Type, _ w: UnsafeRawPointer, _ i: Int)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        (F.weights16(w, i), F.weights16(w, i + 16), F.weights16(w, i + 32), F.weights16(w, i + 48))
    }

    @inline(__always)
    static func dot1<F: FloatWeights>(_: F.Type, _ w: UnsafeRawPointer, _ n: Int, _ x: UnsafeRawPointer) -> Float {
        var s = Sums()
        var i = 0
        while i + 64 <= n { s.add64(F.self, four(F.self, w, i), x, i); i += 64 }
        while i + 16 <= n { s.a0.addProduct(F.weights16(w, i), F.activations16(x, i)); i += 16 }
        var total = s.total()
        while i < n { total += F.weight(w, i) * F.activation(x, i); i += 1 }
        return total
    }

    @inline(__always)
    static func dot4<F: FloatWeights>(_: F.Type, _ w: UnsafeRawPointer, _ n: Int, _ x0: UnsafeRawPointer, _ x1: UnsafeRawPointer,
                                      _ x2: UnsafeRawPointer, _ x3: UnsafeRawPointer) -> (Float, Float, Float, Float) {
        var s0 = Sums(), s1 = Sums(), s2 = Sums(), s3 = Sums()
        var i = 0
        while i + 64 <= n {
            let v = four(F.self, w, i)
            s0.add64(F.self, v, x0, i); s1.add64(F.self, v, x1, i); s2.add64(F.self, v, x2, i); s3.add64(F.self, v, x3, i)
            i += 64
        }
        while i + 16 <= n {
            let v = F.weights16(w, i)
            s0.a0.addProduct(v, F.activations16(x0, i)); s1.a0.addProduct(v, F.activations16(x1, i))
            s2.a0.addProduct(v, F.activations16(x2, i)); s3.a0.addProduct(v, F.activations16(x3, i))
            i += 16
        }
        var t0 = s0.total(), t1 = s1.total(), t2 = s2.total(), t3 = s3.total()
        while i < n {
            let v = F.weight(w, i)
            t0 += v * F.activation(x0, i); t1 += v * F.activation(x1, i); t2 += v * F.activation(x2, i); t3 += v * F.activation(x3, i)
            i += 1
        }
        return (t0, t1, t2, t3)
    }
}
