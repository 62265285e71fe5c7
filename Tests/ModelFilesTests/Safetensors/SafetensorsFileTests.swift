import Foundation
import ModelFiles
import TensorNumerics
import XCTest

final class SafetensorsFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("st-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ data: Data, _ name: String = "m.safetensors") throws -> String {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    /// A file with a raw header, for corruptions a writer would never produce.
    private func raw(header: String, data: Data) -> Data {
        var out = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(Data(header.utf8))
        out.append(data)
        return out
    }

    func testRoundTrip() throws {
        var w = SafetensorsWriter()
        w.metadata = ["format": "pt"]
        w.add(name: "a.weight", shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
        let halves: [UInt16] = [Float16(0.5).bitPattern, Float16(-2).bitPattern]
        w.add(name: "b", dtype: "BF16", shape: [2], data: halves.withUnsafeBufferPointer { Data(buffer: $0) })
        let file = try SafetensorsFile(path: write(w.serialized()))
        XCTAssertEqual(file.metadata, ["format": "pt"])
        let a = try XCTUnwrap(file.tensorInfo("a.weight"))
        XCTAssertEqual(a.shape, [2, 3])
        XCTAssertEqual(a.rows, 2)
        XCTAssertEqual(a.columns, 3)
        XCTAssertEqual(a.format, .f32)
        XCTAssertEqual(file.data(of: a).load(fromByteOffset: 20, as: Float.self), 6)
        XCTAssertEqual(file.tensorInfo("b")?.format, .bf16)
        XCTAssertEqual(file.tensorInfo("b")?.byteCount, 4)
        XCTAssertNil(file.tensorInfo("c"))
    }

    func testHeaderLengthBeyondTheFile() throws {
        var bytes = Data()
        withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(Data("{}".utf8))
        XCTAssertThrowsError(try SafetensorsFile(path: write(bytes))) {
            guard case .badHeaderLength? = $0 as? SafetensorsError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try SafetensorsFile(path: write(Data([1, 2, 3])))) {
            guard case .tooShort? = $0 as? SafetensorsError else { return XCTFail("\($0)") }
        }
    }

    func testMalformedJSON() throws {
        XCTAssertThrowsError(try SafetensorsFile(path: write(raw(header: "{\"a\": [", data: Data())))) {
            guard case .badHeader? = $0 as? SafetensorsError else { return XCTFail("\($0)") }
        }
    }

    func testOutOfRangeAndOverlappingOffsetsNameTheTensors() throws {
        let outside = raw(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: Data(count: 8))
        XCTAssertThrowsError(try SafetensorsFile(path: write(outside))) {
            XCTAssertEqual($0 as? SafetensorsError, .outOfBounds(path: directory.appendingPathComponent("m.safetensors").path,
                                                              tensor: "w", begin: 0, end: 16, dataSize: 8))
        }
        let overlap = raw(header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                          data: Data(count: 12))
        XCTAssertThrowsError(try SafetensorsFile(path: write(overlap))) {
            guard case .overlapping(_, let first, let second)? = $0 as? SafetensorsError else { return XCTFail("\($0)") }
            XCTAssertEqual([first, second], ["x", "y"])
        }
    }

    func testShapeAndDTypeMustMatchTheSpan() throws {
        let mismatch = raw(header: #"{"w":{"dtype":"BF16","shape":[3],"data_offsets":[0,8]}}"#, data: Data(count: 8))
        XCTAssertThrowsError(try SafetensorsFile(path: write(mismatch))) {
            guard case .sizeMismatch(_, "w", [3], "BF16", 8)? = $0 as? SafetensorsError else { return XCTFail("\($0)") }
        }
        let unknown = raw(header: #"{"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#, data: Data(count: 8))
        XCTAssertThrowsError(try SafetensorsFile(path: write(unknown))) {
            guard case .unsupportedDType(_, "w", "C64")? = $0 as? SafetensorsError else { return XCTFail("\($0)") }
        }
    }
}
