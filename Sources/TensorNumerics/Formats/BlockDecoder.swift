/// Decodes rows of ggml blocks to floats, one function per format, following ggml's `dequantize_row_*`.
///
/// Used for embedding lookups, tests, and the slow generic multiply path; not a hot loop during decode,
/// so the code stays close to ggml's reference for easy review.
@usableFromInline
enum BlockDecoder {
    @inline(__always) static func u16(_ p: UnsafeRawPointer, _ offset: Int) -> UInt16 {
        UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
    @inline(__always) static func f16(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        ScalarConversion.f16(u16(p, offset))
    }

    /// Decodes `blocks` blocks of `format` starting at `source` into `out` (blocks × blockElements floats).
    /// The caller has checked that the format is one `BlockDecoder.supports`.
    static func decode(_ format: TensorFormat, _ source: UnsafeRawPointer, blocks: Int, into out: UnsafeMutablePointer<Float>) {
        switch format {
        case .f32:
            out.update(from: source.assumingMemoryBound(to: Float.self), count: blocks)
        case .f16:
            for i in 0..<blocks { out[i] = f16(source, 2 * i) }
        case .bf16:
            for i in 0..<blocks { out[i] = ScalarConversion.bf16(u16(source, 2 * i)) }
        case .f8e4m3:
            for i in 0..<blocks { out[i] = ScalarConversion.e4m3(source.load(fromByteOffset: i, as: UInt8.self)) }
        case .q8_0:
            for i in 0..<blocks { q8_0(source + i * 34, out + i * 32) }
        case .q4_0:
            for i in 0..<blocks { q4_0(source + i * 18, out + i * 32) }
        case .q4_1:
            for i in 0..<blocks { q4_1(source + i * 20, out + i * 32) }
        case .q5_0:
            for i in 0..<blocks { q5_0(source + i * 22, out + i * 32) }
        case .q5_1:
            for i in 0..<blocks { q5_1(source + i * 24, out + i * 32) }
        case .q2_K:
            for i in 0..<blocks { q2_K(source + i * 84, out + i * 256) }
        case .q3_K:
            for i in 0..<blocks { q3_K(source + i * 110, out + i * 256) }
        case .q4_K:
            for i in 0..<blocks { q4_K(source + i * 144, out + i * 256) }
        case .q5_K:
            for i in 0..<blocks { q5_K(source + i * 176, out + i * 256) }
        case .q6_K:
            for i in 0..<blocks { q6_K(source + i * 210, out + i * 256) }
        default:
            preconditionFailure("BlockDecoder cannot decode \(format)")
        }
    }

    /// Formats `decode` handles.
    static func supports(_ format: TensorFormat) -> Bool {
        switch format {
        case .f32, .f16, .bf16, .f8e4m3, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: true
        default: false
        }
    }

    // block_q8_0: f16 d, int8 qs[32]
    @inline(__always) static func q8_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = f16(b, 0)
        for j in 0..<32 { y[j] = Float(b.load(fromByteOffset: 2 + j, as: Int8.self)) * d }
    }

    // block_q4_0: f16 d, uint8 qs[16]; low nibbles are elements 0..15, high nibbles 16..31, offset 8
    @inline(__always) static func q4_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = f16(b, 0)
        for j in 0..<16 {
            let q = b.load(fromByteOffset: 2 + j, as: UInt8.self)
            y[j] = Float(Int32(q & 0x0f) - 8) * d
            y[j + 16] = Float(Int32(q >> 4) - 8) * d
        }
    }

    // block_q4_1: f16 d, f16 m, uint8 qs[16]
    @inline(__always) static func q4_1(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = f16(b, 0), m = f16(b, 2)
        for j in 0..<16 {
            let q = b.load(fromByteOffset: 4 + j, as: UInt8.self)
            y[j] = Float(q & 0x0f) * d + m
            y[j + 16] = Float(q >> 4) * d + m
        }
    }

    // block_q5_0: f16 d, uint32 qh (fifth bits), uint8 qs[16]; offset 16
    @inline(__always) static func q5_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = f16(b, 0)
        let qh = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        for j in 0..<16 {
            let q = b.load(fromByteOffset: 6 + j, as: UInt8.self)
            let h0 = Int32((qh >> UInt32(j)) & 1) << 4, h1 = Int32((qh >> UInt32(j + 16)) & 1) << 4
            y[j] = Float((Int32(q & 0x0f) | h0) - 16) * d
            y[j + 16] = Float((Int32(q >> 4) | h1) - 16) * d
        }
    }

    // block_q5_1: f16 d, f16 m, uint32 qh, uint8 qs[16]
    @inline(__always) static func q5_1(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = f16(b, 0), m = f16(b, 2)
        let qh = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        for j in 0..<16 {
            let q = b.load(fromByteOffset: 8 + j, as: UInt8.self)
            let h0 = Int32((qh >> UInt32(j)) & 1) << 4, h1 = Int32((qh >> UInt32(j + 16)) & 1) << 4
            y[j] = Float(Int32(q & 0x0f) | h0) * d + m
            y[j + 16] = Float(Int32(q >> 4) | h1) * d + m
        }
    }

    /// ggml's `get_scale_min_k4`: the 6-bit scale and min of sub-block `j` (0..<8) packed in 12 bytes.
    @inline(__always) static func scaleMinK4(_ j: Int, _ q: UnsafeRawPointer) -> (scale: UInt8, min: UInt8) {
        @inline(__always) func s(_ i: Int) -> UInt8 { q.load(fromByteOffset: i, as: UInt8.self) }
        if j < 4 { return (s(j) & 63, s(j + 4) & 63) }
        return ((s(j + 4) & 0x0f) | ((s(j - 4) >> 6) << 4), (s(j + 4) >> 4) | ((s(j) >> 6) << 4))
    }

    // block_q2_K: uint8 scales[16] (low nibble scale, high nibble min), uint8 qs[64], f16 d, f16 dmin
    static func q2_K(_ b: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = f16(b, 80), dmin = f16(b, 82)
        var y = out, q = b + 16, scaleIndex = 0
        for _ in 0..<2 {
            for shift in stride(from: 0, to: 8, by: 2) {
                for half in 0..<2 {
                    let sc = b.load(fromByteOffset: scaleIndex, as: UInt8.self)
                    scaleIndex += 1
                    let dl = d * Float(sc & 0x0f), ml = dmin * Float(sc >> 4)
                    for l in 0..<16 {
                        let v = (q.load(fromByteOffset: 16 * half + l, as: UInt8.self) >> UInt8(shift)) & 3
                        y[l] = dl * Float(v) - ml
                    }
                    y += 16
                }
            }
            q += 32
        }
    }

    // block_q3_K: uint8 hmask[32], uint8 qs[64], uint8 scales[12] (6-bit, offset 32), f16 d
    static func q3_K(_ b: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let dAll = f16(b, 108)
        // The sixteen 6-bit scales (offset 32): low four bits in bytes 0..<8 (low then high nibbles), top two
        // bits in bytes 8..<12, as ggml's kmask shuffles unpack them.
        @inline(__always) func scale(_ k: Int) -> Int32 {
            let low = k < 8 ? Int32(b.load(fromByteOffset: 96 + k, as: UInt8.self) & 0x0f)
                : Int32(b.load(fromByteOffset: 96 + k - 8, as: UInt8.self) >> 4)
            let high = Int32((b.load(fromByteOffset: 104 + k % 4, as: UInt8.self) >> UInt8(2 * (k / 4))) & 3)
            return (low | (high << 4)) - 32
        }
        var y = out, q = b + 32, mask: UInt8 = 1, scaleIndex = 0
        for _ in 0..<2 {
            for shift in stride(from: 0, to: 8, by: 2) {
                for half in 0..<2 {
                    let dl = dAll * Float(scale(scaleIndex))
                    scaleIndex += 1
                    for l in 0..<16 {
                        let low = Int32((q.load(fromByteOffset: 16 * half + l, as: UInt8.self) >> UInt8(shift)) & 3)
                        let high: Int32 = b.load(fromByteOffset: 16 * half + l, as: UInt8.self) & mask != 0 ? 0 : 4
                        y[l] = dl * Float(low - high)
                    }
                    y += 16
                }
                mask <<= 1
            }
            q += 32
        }
    }

    // block_q4_K: f16 d, f16 dmin, uint8 scales[12], uint8 qs[128]
    static func q4_K(_ b: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = f16(b, 0), dmin = f16(b, 2)
        let scales = b + 4
        var y = out
        for j in 0..<4 {
            let (s1, m1) = scaleMinK4(2 * j, scales), (s2, m2) = scaleMinK4(2 * j + 1, scales)
            let d1 = d * Float(s1), mm1 = dmin * Float(m1), d2 = d * Float(s2), mm2 = dmin * Float(m2)
            let q = b + 16 + 32 * j
            for l in 0..<32 { y[l] = d1 * Float(q.load(fromByteOffset: l, as: UInt8.self) & 0x0f) - mm1 }
            for l in 0..<32 { y[32 + l] = d2 * Float(q.load(fromByteOffset: l, as: UInt8.self) >> 4) - mm2 }
            y += 64
        }
    }

    // block_q5_K: f16 d, f16 dmin, uint8 scales[12], uint8 qh[32], uint8 qs[128]
    static func q5_K(_ b: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = f16(b, 0), dmin = f16(b, 2)
        let scales = b + 4, qh = b + 16
        var y = out
        for j in 0..<4 {
            let (s1, m1) = scaleMinK4(2 * j, scales), (s2, m2) = scaleMinK4(2 * j + 1, scales)
            let d1 = d * Float(s1), mm1 = dmin * Float(m1), d2 = d * Float(s2), mm2 = dmin * Float(m2)
            let ql = b + 48 + 32 * j
            let u1 = UInt8(1) << UInt8(2 * j), u2 = UInt8(2) << UInt8(2 * j)
            for l in 0..<32 {
                let h: UInt8 = qh.load(fromByteOffset: l, as: UInt8.self) & u1 != 0 ? 16 : 0
                y[l] = d1 * Float((ql.load(fromByteOffset: l, as: UInt8.self) & 0x0f) + h) - mm1
            }
            for l in 0..<32 {
                let h: UInt8 = qh.load(fromByteOffset: l, as: UInt8.self) & u2 != 0 ? 16 : 0
                y[32 + l] = d2 * Float((ql.load(fromByteOffset: l, as: UInt8.self) >> 4) + h) - mm2
            }
            y += 64
        }
    }

    // block_q6_K: uint8 ql[128], uint8 qh[64], int8 scales[16], f16 d
    static func q6_K(_ b: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = f16(b, 208)
        for n in 0..<2 {
            let ql = b + 64 * n, qh = b + 128 + 32 * n, sc = b + 192 + 8 * n
            let y = out + 128 * n
            for l in 0..<32 {
                let isc = l / 16
                let lo0 = ql.load(fromByteOffset: l, as: UInt8.self), lo1 = ql.load(fromByteOffset: l + 32, as: UInt8.self)
                let h = qh.load(fromByteOffset: l, as: UInt8.self)
                let q1 = Int32((lo0 & 0x0f) | ((h & 3) << 4)) - 32
                let q2 = Int32((lo1 & 0x0f) | (((h >> 2) & 3) << 4)) - 32
                let q3 = Int32((lo0 >> 4) | (((h >> 4) & 3) << 4)) - 32
                let q4 = Int32((lo1 >> 4) | (((h >> 6) & 3) << 4)) - 32
                @inline(__always) func s(_ i: Int) -> Float { Float(sc.load(fromByteOffset: i, as: Int8.self)) }
                y[l] = d * s(isc) * Float(q1)
                y[l + 32] = d * s(isc + 2) * Float(q2)
                y[l + 64] = d * s(isc + 4) * Float(q3)
                y[l + 96] = d * s(isc + 6) * Float(q4)
            }
        }
    }
}
