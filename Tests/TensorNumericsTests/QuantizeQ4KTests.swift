import Foundation
import TensorNumerics
import TestSupport
import XCTest

/// The Q4_K reference quantizer against bytes from llama.cpp's own (`scripts/make-q4k-goldens.py`).
final class QuantizeQ4KTests: XCTestCase {
    private struct Golden: Decodable {
        let name: String
        let rows: Int
        let columns: Int
        let input_f32le: String
        let q4_k: String
    }

    private struct Goldens: Decodable {
        let cases: [Golden]
    }

    private func goldens() throws -> [Golden] {
        let data = try Data(contentsOf: TestPaths.fixture("quantization/q4_k-goldens.json"))
        return try JSONDecoder().decode(Goldens.self, from: data).cases
    }

    private func floats(_ base64: String) throws -> [Float] {
        let bytes = try XCTUnwrap(Data(base64Encoded: base64))
        return bytes.withUnsafeBytes { raw in (0..<bytes.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.load(fromByteOffset: 4 * $0, as: UInt32.self))) } }
    }

    private func quantize(_ x: [Float], rows: Int, columns: Int) -> [UInt8] {
        let rowBytes = TensorFormat.q4_K.rowBytes(columns)!
        var out = [UInt8](repeating: 0xAA, count: rows * rowBytes)
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBytes { out in
                for r in 0..<rows {
                    Quantize.row(x.baseAddress! + r * columns, count: columns, to: .q4_K, into: out.baseAddress! + r * rowBytes)
                }
            }
        }
        return out
    }

    /// Byte-identical blocks for normal, scaled, one-signed, heavy-tailed, outlier, zero and constant
    /// sub-blocks, f16-subnormal scales and exact integers.
    func testBlocksEqualLlamaCpp() throws {
        let cases = try goldens()
        XCTAssertGreaterThanOrEqual(cases.count, 9)
        for golden in cases {
            let x = try floats(golden.input_f32le)
            XCTAssertEqual(x.count, golden.rows * golden.columns, golden.name)
            let expected = [UInt8](try XCTUnwrap(Data(base64Encoded: golden.q4_k)))
            let actual = quantize(x, rows: golden.rows, columns: golden.columns)
            XCTAssertEqual(actual.count, expected.count, golden.name)
            let differing: [Int] = (0..<actual.count / 144).filter { (b: Int) -> Bool in
                let span = 144 * b..<144 * (b + 1)
                return actual[span] != expected[span]
            }
            XCTAssertEqual(differing, [], "\(golden.name): blocks that differ from llama.cpp's")
        }
    }

    /// Decoding the blocks gives back the input within what 4-bit levels and 6-bit scales allow:
    /// each value within one level step (d·sc, at most the sub-block's range / 15 plus the rounding of
    /// scale and minimum to 6 bits) of the original.
    func testRoundTripStaysWithinALevelStep() throws {
        for golden in try goldens() where golden.name == "normal" {
            let x = try floats(golden.input_f32le)
            let bytes = quantize(x, rows: golden.rows, columns: golden.columns)
            let back: [Float] = try bytes.withUnsafeBytes { raw in
                let m = try WeightMatrix(format: .q4_K, rows: golden.rows, columns: golden.columns, base: raw.baseAddress!)
                var out = [Float](repeating: 0, count: x.count)
                out.withUnsafeMutableBufferPointer { o in for r in 0..<golden.rows { m.dequantizeRow(r, into: o.baseAddress! + r * golden.columns) } }
                return out
            }
            for start in stride(from: 0, to: x.count, by: 32) {
                let sub = x[start..<start + 32]
                let step = (sub.max()! - min(0, sub.min()!)) / 15
                for i in start..<start + 32 {
                    XCTAssertEqual(back[i], x[i], accuracy: 1.5 * step, "value \(i)")
                }
            }
        }
    }
}
