import XCTest
@testable import TensorNumerics

/// `WeightMatrix.dequantizeRow` against the independent scalar decoder, for every format.
final class DequantizeTests: XCTestCase {
    static let formats: [TensorFormat] = [.f32, .f16, .bf16, .f8e4m3, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K]

    func testEveryFormatMatchesReferenceDecoder() throws {
        for format in Self.formats {
            let columns = 512, rows = 3
            let m = try TestMatrix(format, rows: rows, columns: columns, seed: 7)
            var out = [Float](repeating: .nan, count: columns)
            for r in 0..<rows {
                m.matrix.dequantizeRow(r, into: &out)
                let expected = ReferenceDecoder.decode(format, m.rowBytes(r), count: columns)
                for c in 0..<columns where !(out[c] == expected[c] || (out[c].isNaN && expected[c].isNaN)) {
                    // Formats with a multiply-then-add (d·q − m) may round differently by one ulp in the reference.
                    XCTAssertEqual(out[c], expected[c], accuracy: abs(expected[c]) * 1e-6 + 1e-9, "\(format) row \(r) column \(c)")
                }
            }
        }
    }

    func testFP8SpecialValues() throws {
        let bytes: [UInt8] = [0x00, 0x80, 0x7f, 0xff, 0x7e, 0xfe, 0x01, 0x38, 0x08]
        let expected: [Float] = [0, -0.0, .nan, .nan, 448, -448, 0x1p-9, 1, 0x1p-6]
        try bytes.withUnsafeBytes { raw in
            let m = try WeightMatrix(format: .f8e4m3, rows: 1, columns: bytes.count, base: raw.baseAddress!)
            var out = [Float](repeating: 0, count: bytes.count)
            m.dequantizeRow(0, into: &out)
            for i in 0..<bytes.count {
                if expected[i].isNaN { XCTAssertTrue(out[i].isNaN, "byte \(bytes[i])") } else {
                    XCTAssertEqual(out[i], expected[i], "byte \(bytes[i])")
                    XCTAssertEqual(out[i].sign, expected[i].sign)
                }
            }
        }
    }

    func testInitRejectsPartialBlocksAndUnsupportedFormats() {
        let dummy = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        defer { dummy.deallocate() }
        XCTAssertThrowsError(try WeightMatrix(format: .q4_0, rows: 1, columns: 33, base: dummy)) { error in
            XCTAssertEqual(error as? NumericsError, .partialBlock(.q4_0, columns: 33))
        }
        XCTAssertThrowsError(try WeightMatrix(format: .q8_K, rows: 1, columns: 256, base: dummy)) { error in
            guard case .unsupportedFormat(.q8_K, _)? = error as? NumericsError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try WeightMatrix(format: .f32, rows: -1, columns: 4, base: dummy))
        XCTAssertNoThrow(try WeightMatrix(format: .q6_K, rows: 0, columns: 256, base: dummy))
        XCTAssertFalse(NumericsError.partialBlock(.q4_0, columns: 33).description.isEmpty)
    }
}
