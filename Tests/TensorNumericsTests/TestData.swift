import TensorNumerics

/// Deterministic pseudo-random numbers (xorshift64), so failures reproduce.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
    /// Uniform in [-1, 1).
    mutating func float() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}

/// A weight matrix together with the bytes it views (kept alive by the owner).
final class TestMatrix {
    let bytes: UnsafeMutableRawPointer
    let matrix: WeightMatrix

    /// Random weights in `format`: floats quantized with `Quantize.row` where it supports the format, otherwise
    /// random bytes with the block scales replaced by finite, moderate f16 values (K-quants) or NaN codes
    /// avoided (FP8).
    init(_ format: TensorFormat, rows: Int, columns: Int, seed: UInt64 = 1) throws {
        let rowBytes = format.rowBytes(columns)!
        bytes = .allocate(byteCount: max(1, rows * rowBytes), alignment: 64)
        var random = TestRandom(seed: seed)
        if Quantize.supportedFormats.contains(format) {
            var row = [Float](repeating: 0, count: columns)
            for r in 0..<rows {
                for c in 0..<columns { row[c] = random.float() * 2 }
                Quantize.row(row, count: columns, to: format, into: bytes + r * rowBytes)
            }
        } else {
            let b = bytes.assumingMemoryBound(to: UInt8.self)
            for i in 0..<rows * rowBytes { b[i] = random.byte() }
            func setHalf(_ offset: Int, _ value: Float) {
                let bits = Float16(value).bitPattern
                b[offset] = UInt8(bits & 0xff); b[offset + 1] = UInt8(bits >> 8)
            }
            let blocks = rows * rowBytes / format.blockBytes
            for k in 0..<blocks {
                let o = k * format.blockBytes
                switch format {
                case .q4_K, .q5_K:
                    setHalf(o, 0.001 + 0.01 * abs(random.float())); setHalf(o + 2, 0.01 * abs(random.float()))
                case .q6_K: setHalf(o + 208, 0.001 * random.float())
                case .q2_K: setHalf(o + 80, 0.01 * random.float()); setHalf(o + 82, 0.01 * random.float())
                case .q3_K: setHalf(o + 108, 0.01 * random.float())
                case .f8e4m3: if b[o] & 0x7f == 0x7f { b[o] = 0x3f }
                case .f16: setHalf(o, random.float())
                default: break
                }
            }
        }
        matrix = try WeightMatrix(format: format, rows: rows, columns: columns, base: bytes)
    }

    deinit { bytes.deallocate() }

    func rowBytes(_ r: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: bytes + r * matrix.rowBytes, count: matrix.rowBytes))
    }
}

/// The activations ggml's x86 backend computes with, dequantized back to floats: what an exact dot product
/// with the dequantized weights should be computed against. Written independently of the module.
enum ReferenceActivations {
    static func f16Round(_ x: Float) -> Float { Float(Float16(x)) }

    static func dequantized(_ x: [Float], for format: TensorFormat) -> [Float] {
        switch format {
        case .f32, .f8e4m3: return x
        case .f16: return x.map(f16Round)
        case .bf16:
            return x.map { v in
                let u = v.bitPattern
                let r = (u &+ 0x7fff &+ ((u >> 16) & 1)) >> 16
                return Float(bitPattern: r << 16)
            }
        case .q8_0, .q4_0, .q5_0, .q4_1, .q5_1:
            var out = x
            for start in stride(from: 0, to: x.count, by: 32) {
                let amax = x[start..<start + 32].map(abs).max()!
                let d = amax / 127, id: Float = amax != 0 ? 127 / amax : 0
                for j in start..<start + 32 { out[j] = f16Round(d) * (x[j] * id).rounded(.toNearestOrEven) }
            }
            return out
        case .q4_K, .q5_K, .q6_K, .q2_K, .q3_K:
            var out = x
            for start in stride(from: 0, to: x.count, by: 256) {
                var amax: Float = 0, maxValue: Float = 0
                for j in start..<start + 256 where abs(x[j]) > amax { amax = abs(x[j]); maxValue = x[j] }
                if amax == 0 { for j in start..<start + 256 { out[j] = 0 }; continue }
                let iscale = -127 / maxValue
                for j in start..<start + 256 { out[j] = (1 / iscale) * min(127, (iscale * x[j]).rounded(.toNearestOrEven)) }
            }
            return out
        default: fatalError("no activation format for \(format)")
        }
    }

    /// Bound on |x − dequantized(x)| per element.
    static func errorBound(_ x: [Float], for format: TensorFormat) -> [Float] {
        switch format {
        case .f32, .f8e4m3: return x.map { _ in 0 }
        case .f16: return x.map { abs($0) * 0x1p-11 + 0x1p-24 }
        case .bf16: return x.map { abs($0) * 0x1p-8 }
        default:
            let block = format.blockElements
            var out = x
            for start in stride(from: 0, to: x.count, by: block) {
                let amax = x[start..<start + block].map(abs).max()!
                // Half a step of amax/127, plus the f16 rounding of the step (at most 2^-11 relative, times 127).
                for j in start..<start + block { out[j] = amax / 127 * (0.5 + 127 * 0x1p-11) + 1e-7 }
            }
            return out
        }
    }
}
