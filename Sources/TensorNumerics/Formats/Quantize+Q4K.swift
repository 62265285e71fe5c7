extension Quantize {
    /// ggml's `nearest_int`: rounds by adding 1.5 · 2²³ and reading the mantissa, so ties go to even and
    /// the result equals C's for every |x| ≤ 2²², without a branch or a trap on NaN.
    @inline(__always) static func nearestInt(_ x: Float) -> Int32 {
        let shifted = x + 12_582_912
        return Int32(bitPattern: shifted.bitPattern & 0x007f_ffff) - 0x0040_0000
    }

    /// One Q4_K super-block (256 values) as ggml's `quantize_row_q4_K_ref`: per 32-value sub-block, a
    /// scale and minimum from `make_qkx2_quants` (weights |x| + rms, 21-step search of the inverse scale),
    /// both quantized to 6 bits against the block's f16 `d` and `dmin`, then 4-bit levels against the
    /// rounded scales. Layout: f16 d, f16 dmin, 12 bytes of packed 6-bit scales and minimums, 128 bytes
    /// of nibbles (sub-blocks 2k and 2k+1 share bytes 32k..<32k+32, low then high nibble).
    ///
    /// ggml-quants.c is compiled without FMA (it is in ggml-base, built for the baseline ISA), so every
    /// `a * b + c` here is two roundings, as in ggml.
    static func q4_K(_ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer) {
        // Scratch on the stack: this runs once per 256 weights of a model being converted.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256 + 12 + 32) { bytes in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 8 + 8 + 32) { floats in
                let levels = bytes.baseAddress!, packed = levels + 256, trial = packed + 12
                let scales = floats.baseAddress!, mins = scales + 8, weights = mins + 8
                q4_K(x, out, levels: levels, packed: packed, trial: trial, scales: scales, mins: mins, weights: weights)
            }
        }
    }

    @inline(__always)
    private static func q4_K(_ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer, levels: UnsafeMutablePointer<UInt8>,
                             packed: UnsafeMutablePointer<UInt8>, trial: UnsafeMutablePointer<UInt8>,
                             scales: UnsafeMutablePointer<Float>, mins: UnsafeMutablePointer<Float>,
                             weights: UnsafeMutablePointer<Float>) {
        var maxScale: Float = 0, maxMin: Float = 0
        for j in 0..<8 {
            let sub = x + 32 * j
            var sumX2: Float = 0
            for l in 0..<32 { sumX2 += sub[l] * sub[l] }
            let averageX = (sumX2 / 32).squareRoot()
            for l in 0..<32 { weights[l] = averageX + abs(sub[l]) }
            (scales[j], mins[j]) = makeQKX2Quants(sub, weights: weights, levels: levels + 32 * j, trial: trial)
            if scales[j] > maxScale { maxScale = scales[j] }
            if mins[j] > maxMin { maxMin = mins[j] }
        }
        let inverseScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let inverseMin: Float = maxMin > 0 ? 63 / maxMin : 0
        for k in 0..<12 { packed[k] = 0 }
        for j in 0..<8 {
            let ls = min(63, UInt8(truncatingIfNeeded: nearestInt(inverseScale * scales[j])))
            let lm = min(63, UInt8(truncatingIfNeeded: nearestInt(inverseMin * mins[j])))
            if j < 4 {
                packed[j] = ls
                packed[j + 4] = lm
            } else {
                packed[j + 4] = (ls & 0xF) | ((lm & 0xF) << 4)
                packed[j - 4] |= (ls >> 4) << 6
                packed[j] |= (lm >> 4) << 6
            }
        }
        let dBits = ScalarConversion.toF16(maxScale / 63), dminBits = ScalarConversion.toF16(maxMin / 63)
        out.storeBytes(of: dBits.littleEndian, toByteOffset: 0, as: UInt16.self)
        out.storeBytes(of: dminBits.littleEndian, toByteOffset: 2, as: UInt16.self)
        for k in 0..<12 { out.storeBytes(of: packed[k], toByteOffset: 4 + k, as: UInt8.self) }

        let blockScale = ScalarConversion.f16(dBits), blockMin = ScalarConversion.f16(dminBits)
        for j in 0..<8 {
            let (sc, m) = scaleAndMin(j, UnsafePointer(packed))
            let d = blockScale * Float(sc)
            // ggml skips a zero scale and keeps make_qkx2_quants' levels for that sub-block.
            if d == 0 { continue }
            let dm = blockMin * Float(m)
            for i in 0..<32 {
                levels[32 * j + i] = UInt8(max(0, min(15, nearestInt((x[32 * j + i] + dm) / d))))
            }
        }
        for chunk in 0..<4 {
            for l in 0..<32 {
                let byte = levels[64 * chunk + l] | (levels[64 * chunk + l + 32] << 4)
                out.storeBytes(of: byte, toByteOffset: 16 + 32 * chunk + l, as: UInt8.self)
            }
        }
    }

    /// ggml's `get_scale_min_k4`: the 6-bit scale and minimum of sub-block `j` from the 12 packed bytes.
    @inline(__always) static func scaleAndMin(_ j: Int, _ q: UnsafePointer<UInt8>) -> (UInt8, UInt8) {
        if j < 4 { return (q[j] & 63, q[j + 4] & 63) }
        return ((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4), (q[j + 4] >> 4) | ((q[j] >> 6) << 4))
    }

    /// ggml's `make_qkx2_quants(32, 15, x, weights, L, &the_min, Laux, -1, 0.1, 20, false)`: the scale
    /// and (negated) minimum minimizing the weighted squared error over levels 0...15, starting from the
    /// min/max fit and trying inverse scales (15 − 1 + 0.1 · k)/(max − min) for k = 0...20 with a
    /// least-squares refit of scale and minimum each time; `min` is the best minimum so far, as in ggml.
    /// Writes the levels to `levels`.
    static func makeQKX2Quants(_ x: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                               levels: UnsafeMutablePointer<UInt8>, trial: UnsafeMutablePointer<UInt8>) -> (scale: Float, min: Float) {
        let n = 32, nmax: Float = 15, rmin: Float = -1, rdelta: Float = 0.1, nstep = 20
        var lo = x[0], hi = x[0]
        var sumW = weights[0]
        var sumX = sumW * x[0]
        for i in 1..<n {
            if x[i] < lo { lo = x[i] }
            if x[i] > hi { hi = x[i] }
            let w = weights[i]
            sumW += w
            sumX += w * x[i]
        }
        if lo > 0 { lo = 0 }
        if hi == lo {
            for i in 0..<n { levels[i] = 0 }
            return (0, -lo)
        }
        var inverse = nmax / (hi - lo)
        var scale = 1 / inverse
        var bestError: Float = 0
        for i in 0..<n {
            let l = max(0, min(15, nearestInt(inverse * (x[i] - lo))))
            levels[i] = UInt8(l)
            let diff = scale * Float(l) + lo - x[i]
            bestError += weights[i] * (diff * diff)
        }
        for step in 0...nstep {
            inverse = (rmin + rdelta * Float(step) + nmax) / (hi - lo)
            var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
            for i in 0..<n {
                let level = UInt8(max(0, min(15, nearestInt(inverse * (x[i] - lo)))))
                trial[i] = level
                let l = Float(level)
                let w = weights[i]
                sumL += w * l
                sumL2 += w * l * l
                sumXL += w * l * x[i]
            }
            let det = sumW * sumL2 - sumL * sumL
            guard det > 0 else { continue }
            var thisScale = (sumW * sumXL - sumX * sumL) / det
            var thisMin = (sumL2 * sumX - sumL * sumXL) / det
            if thisMin > 0 {
                thisMin = 0
                thisScale = sumXL / sumL2
            }
            var error: Float = 0
            for i in 0..<n {
                let diff = thisScale * Float(trial[i]) + thisMin - x[i]
                error += weights[i] * (diff * diff)
            }
            if error < bestError {
                for i in 0..<n { levels[i] = trial[i] }
                bestError = error
                scale = thisScale
                // As in ggml, later steps measure levels from (and scale by the range to) the refitted minimum.
                lo = thisMin
            }
        }
        return (scale, -lo)
    }
}
