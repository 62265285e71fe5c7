import TensorNumerics

/// A plain scalar decoder written straight from ggml's block layouts (ggml-common.h), independent of the
/// module's `BlockDecoder`: bytes in, floats out, one element at a time.
enum ReferenceDecoder {
    static func half(_ b: [UInt8], _ i: Int) -> Float { Float(Float16(bitPattern: UInt16(b[i]) | UInt16(b[i + 1]) << 8)) }

    /// Decodes a whole row of `format` given as bytes.
    static func decode(_ format: TensorFormat, _ bytes: [UInt8], count: Int) -> [Float] {
        var out: [Float] = []
        let bs = format.blockBytes
        for blockStart in stride(from: 0, to: bytes.count, by: bs) {
            out += block(format, Array(bytes[blockStart..<blockStart + bs]))
        }
        precondition(out.count == count)
        return out
    }

    static func block(_ format: TensorFormat, _ b: [UInt8]) -> [Float] {
        switch format {
        case .f32:
            let bits: UInt32 = (0..<4).reduce(0) { $0 | UInt32(b[$1]) << UInt32(8 * $1) }
            return [Float(bitPattern: bits)]
        case .f16: return [half(b, 0)]
        case .bf16: return [Float(bitPattern: (UInt32(b[0]) | UInt32(b[1]) << 8) << 16)]
        case .f8e4m3:
            let sign: Float = b[0] & 0x80 != 0 ? -1 : 1
            let e = Int((b[0] >> 3) & 15), m = Float(b[0] & 7)
            if e == 15 && m == 7 { return [.nan] }
            let magnitude: Float = e == 0 ? m / 8 * pow2(-6) : (1 + m / 8) * pow2(e - 7)
            return [sign * magnitude]
        case .q8_0:
            let d = half(b, 0)
            return (0..<32).map { Float(Int8(bitPattern: b[2 + $0])) * d }
        case .q4_0:
            let d = half(b, 0)
            return (0..<32).map { j in Float(nibble(b, 2, j) - 8) * d }
        case .q4_1:
            let d = half(b, 0), m = half(b, 2)
            return (0..<32).map { j in Float(nibble(b, 4, j)) * d + m }
        case .q5_0, .q5_1:
            let hasMin = format == .q5_1
            let d = half(b, 0), m: Float = hasMin ? half(b, 2) : 0
            let o = hasMin ? 4 : 2
            let qh: UInt32 = (0..<4).reduce(0) { $0 | UInt32(b[o + $1]) << UInt32(8 * $1) }
            return (0..<32).map { j in
                let low = nibble(b, o + 4, j)
                let q = low + Int((qh >> UInt32(j)) & 1) * 16
                return hasMin ? Float(q) * d + m : Float(q - 16) * d
            }
        case .q4_K, .q5_K:
            let is5 = format == .q5_K
            let d = half(b, 0), dmin = half(b, 2)
            let s = Array(b[4..<16])
            func scaleMin(_ j: Int) -> (Int, Int) {
                j < 4 ? (Int(s[j] & 63), Int(s[j + 4] & 63))
                    : (Int(s[j + 4] & 15) | Int(s[j - 4] >> 6) << 4, Int(s[j + 4] >> 4) | Int(s[j] >> 6) << 4)
            }
            let qsStart = is5 ? 48 : 16
            return (0..<256).map { i in
                let sub = i / 32, group = i / 64, l = i % 32
                let byte = b[qsStart + 32 * group + l]
                var q = Int(sub % 2 == 0 ? byte & 15 : byte >> 4)
                if is5 && (b[16 + l] >> UInt8(sub)) & 1 == 1 { q += 16 }
                let (sc, m) = scaleMin(sub)
                return d * Float(sc) * Float(q) - dmin * Float(m)
            }
        case .q6_K:
            let d = half(b, 208)
            return (0..<256).map { i in
                let half128 = i / 128, r = i % 128, quarter = r / 32, l = r % 32
                let lowByte = b[64 * half128 + (quarter % 2) * 32 + l]
                let low = Int(quarter < 2 ? lowByte & 15 : lowByte >> 4)
                let high = Int((b[128 + 32 * half128 + l] >> UInt8(2 * quarter)) & 3)
                let scale = Float(Int8(bitPattern: b[192 + i / 16]))
                return d * scale * Float((low | (high << 4)) - 32)
            }
        case .q2_K:
            let d = half(b, 80), dmin = half(b, 82)
            return (0..<256).map { i in
                let half128 = i / 128, r = i % 128, shiftIndex = r / 32, l = r % 32
                let q = Int((b[16 + 32 * half128 + l] >> UInt8(2 * shiftIndex)) & 3)
                let sc = b[i / 16]
                return d * Float(sc & 15) * Float(q) - dmin * Float(sc >> 4)
            }
        case .q3_K:
            let d = half(b, 108)
            func scale(_ k: Int) -> Int {
                let low = k < 8 ? Int(b[96 + k] & 15) : Int(b[96 + k - 8] >> 4)
                let high = Int((b[104 + k % 4] >> UInt8(2 * (k / 4))) & 3)
                return (low | high << 4) - 32
            }
            return (0..<256).map { i in
                let half128 = i / 128, r = i % 128, shiftIndex = r / 32, l = r % 32
                let low = Int((b[32 + 32 * half128 + l] >> UInt8(2 * shiftIndex)) & 3)
                let highSet = (b[l] >> UInt8(4 * half128 + shiftIndex)) & 1 == 1
                return d * Float(scale(i / 16)) * Float(low - (highSet ? 0 : 4))
            }
        default:
            fatalError("no reference decoder for \(format)")
        }
    }

    /// Element j of a 32-block whose 16 bytes start at `offset`: low nibbles hold 0..<16, high nibbles 16..<32.
    static func nibble(_ b: [UInt8], _ offset: Int, _ j: Int) -> Int {
        j < 16 ? Int(b[offset + j] & 15) : Int(b[offset + j - 16] >> 4)
    }

    static func pow2(_ e: Int) -> Float { Float(sign: .plus, exponent: e, significand: 1) }
}
