import XCTest
@testable import TensorNumerics

/// The reference quantizers (bit-exact with ggml's `quantize_row_*_ref`) and the activation quantizers.
final class QuantizeTests: XCTestCase {
    func quantize(_ x: [Float], _ format: TensorFormat) throws -> [UInt8] {
        var out = [UInt8](repeating: 0xAA, count: format.rowBytes(x.count)!)
        out.withUnsafeMutableBytes { Quantize.row(x, count: x.count, to: format, into: $0.baseAddress!) }
        return out
    }

    func dequantize(_ bytes: [UInt8], _ format: TensorFormat, count: Int) throws -> [Float] {
        try bytes.withUnsafeBytes { raw in
            let m = try WeightMatrix(format: format, rows: 1, columns: count, base: raw.baseAddress!)
            var out = [Float](repeating: 0, count: count)
            m.dequantizeRow(0, into: &out)
            return out
        }
    }

    /// x_j = ((j² mod 37) − 18) / 7, computed in Float; expected bytes computed by hand from ggml's
    /// `quantize_row_q8_0_ref` (d = amax/127 as f16; q = roundf(x · (1/d))).
    func testQ8_0MatchesHandComputedBlock() throws {
        let x = (0..<32).map { Float(($0 * $0) % 37 - 18) / 7 }
        let expected: [Int8] = [-127, -120, -99, -64, -14, 49, 127, -42, 64, -78, 56, -56, 106, 21, -49, -106,
                                113, 85, 71, 71, 85, 113, -106, -49, 21, 106, -56, 56, -78, 64, -42, 127]
        let q = try quantize(x, .q8_0)
        XCTAssertEqual(UInt16(q[0]) | UInt16(q[1]) << 8, 0x252f)
        XCTAssertEqual(q[2...].map { Int8(bitPattern: $0) }, expected)
    }

    /// x_j = (j − 10)/4: min −2.5, d = 7.75/15 (f16 0x3822), m = f16(−2.5) = 0xC100; q = min(15, (int)(x' + 0.5)).
    func testQ4_1MatchesHandComputedBlock() throws {
        let x = (0..<32).map { Float($0 - 10) * 0.25 }
        let q = try quantize(x, .q4_1)
        XCTAssertEqual(UInt16(q[0]) | UInt16(q[1]) << 8, 14370)
        XCTAssertEqual(UInt16(q[2]) | UInt16(q[3]) << 8, 49408)
        XCTAssertEqual(Array(q[4...]), [0x80, 0x80, 0x91, 0x91, 0xa2, 0xa2, 0xb3, 0xb3, 0xc4, 0xc4, 0xd5, 0xd5, 0xe6, 0xe6, 0xf7, 0xf7])
    }

    /// The reference rounds halves away from zero (roundf), unlike the activation quantizer.
    func testQ8_0ReferenceRoundsHalvesAwayFromZero() throws {
        var x = [Float](repeating: 0, count: 32)
        x[0] = 127; x[1] = 2.5; x[2] = -2.5; x[3] = 3.5
        let q = try quantize(x, .q8_0).dropFirst(2).map { Int8(bitPattern: $0) }
        XCTAssertEqual(Array(q[0..<4]), [127, 3, -3, 4])
    }

    func testKnownVectors() throws {
        for format in [TensorFormat.q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .f16, .bf16] {
            // All zeros: decode to exact zeros.
            let zeros = [Float](repeating: 0, count: 64)
            XCTAssertEqual(try dequantize(try quantize(zeros, format), format, count: 64), zeros, "\(format) zeros")
            // One spike: the spike survives within its f16 scale, everything else stays zero (or within a step for
            // formats with a minimum).
            var spike = zeros; spike[37] = -3.25
            let back = try dequantize(try quantize(spike, format), format, count: 64)
            XCTAssertEqual(back[37], -3.25, accuracy: 3.25 * 2e-3, "\(format) spike")
            for j in 0..<64 where j != 37 { XCTAssertEqual(back[j], 0, accuracy: 3.25 / 15, "\(format) spike \(j)") }
            // Alternating signs of equal magnitude: exact up to the f16 rounding of the scale, except that Q4_0 and
            // Q5_0 (levels −8…7 and −16…15 scaled by max/−8, max/−16) clamp the opposite extreme to 7/8 and 15/16.
            let alternating = (0..<64).map { $0 % 2 == 0 ? Float(0.75) : -0.75 }
            let alt = try dequantize(try quantize(alternating, format), format, count: 64)
            let clamped: Float = format == .q4_0 ? -0.75 * 7 / 8 : format == .q5_0 ? -0.75 * 15 / 16 : -0.75
            for j in 0..<64 {
                XCTAssertEqual(alt[j], j % 2 == 0 ? 0.75 : clamped, accuracy: 0.75 * 2e-3, "\(format) alternating \(j)")
            }
        }
    }

    /// Round trip within half a quantization step (plus the f16 rounding of scale and minimum).
    func testRoundTripErrorBounds() throws {
        var random = TestRandom(seed: 99)
        let x = (0..<4096).map { _ in random.float() * 3 }
        let steps: [TensorFormat: Float] = [.q8_0: 127, .q4_0: 8, .q5_0: 16, .q4_1: 15, .q5_1: 31]
        for (format, levels) in steps {
            let back = try dequantize(try quantize(x, format), format, count: x.count)
            for start in stride(from: 0, to: x.count, by: 32) {
                let block = x[start..<start + 32]
                let range = format == .q4_1 || format == .q5_1 ? block.max()! - block.min()! : block.map(abs).max()!
                let step = range / levels
                for j in start..<start + 32 {
                    // Half a step, a step at the clamped end of the signed formats, plus f16 rounding of d (and m).
                    let bound = step * (format == .q4_0 || format == .q5_0 ? 1.0 : 0.5) + range * 0.01 + 1e-6
                    XCTAssertLessThanOrEqual(abs(back[j] - x[j]), bound, "\(format) element \(j)")
                }
            }
        }
        for (format, relative) in [(TensorFormat.f16, Float(0x1p-11)), (.bf16, 0x1p-8), (.f32, 0)] {
            let back = try dequantize(try quantize(x, format), format, count: x.count)
            for j in 0..<x.count { XCTAssertLessThanOrEqual(abs(back[j] - x[j]), abs(x[j]) * relative + 1e-7) }
        }
    }

    func testBF16RoundsToNearestEvenAndKeepsNaNQuiet() throws {
        // 1 + 2^-8 is halfway between two bf16 values: ties go to the even one (1.0).
        let x: [Float] = [1 + 0x1p-8, 1 + 3 * 0x1p-8, .nan, -2]
        let q = try quantize(x, .bf16)
        let bits = (0..<4).map { UInt16(q[2 * $0]) | UInt16(q[2 * $0 + 1]) << 8 }
        XCTAssertEqual(bits[0], 0x3f80)
        XCTAssertEqual(bits[1], 0x3f82)
        XCTAssertEqual(bits[2] & 0x7fc0, 0x7fc0)
        XCTAssertEqual(bits[3], 0xc000)
    }

    func testCheckReportsUnsupportedFormatsAndPartialBlocks() {
        XCTAssertEqual(Quantize.check(.q6_K, count: 256), .unsupportedFormat(.q6_K, operation: "quantization"))
        XCTAssertEqual(Quantize.check(.q8_0, count: 31), .partialBlock(.q8_0, columns: 31))
        XCTAssertEqual(Quantize.check(.q4_K, count: 96), .partialBlock(.q4_K, columns: 96))
        XCTAssertNil(Quantize.check(.q4_K, count: 512))
        XCTAssertNil(Quantize.check(.q4_1, count: 64))
    }

    /// The activation quantizer follows ggml's x86 path: round half to even, scale 127/amax, s = f16(d·Σq).
    func testActivationQ8_1MatchesX86Path() {
        var x = [Float](repeating: 0, count: 32)
        x[0] = 127; x[1] = 2.5; x[2] = -2.5; x[3] = 3.5; x[4] = -127
        let layout = ActivationFormat.q8_1.layout(columns: 32)
        let out = UnsafeMutableRawPointer.allocate(byteCount: layout.tokenStride, alignment: 64)
        defer { out.deallocate() }
        ActivationQuantizer.quantize(x, columns: 32, format: .q8_1, layout: layout, into: out)
        XCTAssertTrue(layout.wideValues)
        let q = out.assumingMemoryBound(to: Int16.self)
        XCTAssertEqual([q[0], q[1], q[2], q[3], q[4]], [127, 2, -2, 4, -127])
        XCTAssertEqual(out.load(fromByteOffset: layout.scaleOffset, as: Float.self), 1)
        XCTAssertEqual(out.load(fromByteOffset: layout.sumOffset, as: Float.self), 4)
    }

    /// Long rows store Int8 values (same numbers).
    func testActivationValuesNarrowForLongRows() {
        let columns = ActivationFormat.wideColumnLimit + 32
        var random = TestRandom(seed: 5)
        let x = (0..<columns).map { _ in random.float() }
        let narrow = ActivationFormat.q8_0.layout(columns: columns)
        let wide = ActivationFormat.q8_0.layout(columns: 32)
        XCTAssertFalse(narrow.wideValues)
        let a = UnsafeMutableRawPointer.allocate(byteCount: narrow.tokenStride, alignment: 64)
        let b = UnsafeMutableRawPointer.allocate(byteCount: wide.tokenStride, alignment: 64)
        defer { a.deallocate(); b.deallocate() }
        ActivationQuantizer.quantize(x, columns: columns, format: .q8_0, layout: narrow, into: a)
        ActivationQuantizer.quantize(Array(x[(columns - 32)...]), columns: 32, format: .q8_0, layout: wide, into: b)
        for j in 0..<32 {
            XCTAssertEqual(Int16(a.load(fromByteOffset: columns - 32 + j, as: Int8.self)), b.load(fromByteOffset: 2 * j, as: Int16.self))
        }
    }

    /// q8_K: the sign trick (iscale = −127/max of largest magnitude), d = 1/iscale, sums per 16.
    func testActivationQ8_KSignTrickAndSums() {
        var x = [Float](repeating: 0, count: 256)
        x[0] = 2; x[1] = -1; x[17] = 0.5
        let layout = ActivationFormat.q8_K.layout(columns: 256)
        let out = UnsafeMutableRawPointer.allocate(byteCount: layout.tokenStride, alignment: 64)
        defer { out.deallocate() }
        ActivationQuantizer.quantize(x, columns: 256, format: .q8_K, layout: layout, into: out)
        let q = out.assumingMemoryBound(to: Int16.self)
        XCTAssertEqual([q[0], q[1], q[17]], [-127, 64, -32])  // 63.5 rounds to even 64, −31.75 to −32
        XCTAssertEqual(out.load(fromByteOffset: layout.scaleOffset, as: Float.self), 1 / (-127 / Float(2)))
        let sums = (out + layout.sumOffset).assumingMemoryBound(to: Int16.self)
        XCTAssertEqual([sums[0], sums[1], sums[2]], [-63, -32, 0])
    }
}
