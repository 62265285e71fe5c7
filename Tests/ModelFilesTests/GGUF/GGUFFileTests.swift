import Foundation
import ModelFiles
import TensorNumerics
import XCTest

final class GGUFFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A small file with every metadata type and two tensors.
    private func sampleWriter() -> GGUFWriter {
        var w = GGUFWriter()
        w.set("general.architecture", .string("llama"))
        w.set("u8", .uint8(200))
        w.set("i8", .int8(-5))
        w.set("u16", .uint16(60000))
        w.set("i16", .int16(-30000))
        w.set("u32", .uint32(4_000_000_000))
        w.set("i32", .int32(-2_000_000_000))
        w.set("u64", .uint64(1 << 40))
        w.set("i64", .int64(-(1 << 40)))
        w.set("f32", .float32(0.25))
        w.set("f64", .float64(-1.5))
        w.set("flag", .bool(true))
        w.set("text", .string("héllo ✓"))
        w.set("list", .array([.string("a"), .string("bc")]))
        w.set("numbers", .array([.int32(1), .int32(-2), .int32(3)]))
        w.add(name: "a.weight", shape: [4, 2], floats: [1, 2, 3, 4, 5, 6, 7, 8])
        w.add(name: "b.weight", shape: [3], floats: [9, 10, 11])
        return w
    }

    private func write(_ data: Data, _ name: String = "m.gguf") throws -> String {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    func testRoundTripsEveryValueTypeAndTensor() throws {
        let file = try GGUFFile(path: write(try sampleWriter().serialized()))
        XCTAssertEqual(file.version, 3)
        XCTAssertEqual(file.metadata["u8"], .uint8(200))
        XCTAssertEqual(file.metadata["i8"], .int8(-5))
        XCTAssertEqual(file.metadata["u16"], .uint16(60000))
        XCTAssertEqual(file.metadata["i16"], .int16(-30000))
        XCTAssertEqual(try file.int("u32"), 4_000_000_000)
        XCTAssertEqual(try file.int("i32"), -2_000_000_000)
        XCTAssertEqual(try file.int("u64"), 1 << 40)
        XCTAssertEqual(try file.int("i64"), -(1 << 40))
        XCTAssertEqual(try file.double("f32"), 0.25)
        XCTAssertEqual(try file.double("f64"), -1.5)
        XCTAssertEqual(try file.bool("flag"), true)
        XCTAssertEqual(try file.string("text"), "héllo ✓")
        XCTAssertEqual(try file.strings("list"), ["a", "bc"])
        XCTAssertEqual(try file.ints("numbers"), [1, -2, 3])
        XCTAssertEqual(file.metadataKeys.first, "general.architecture")

        let a = try XCTUnwrap(file.tensorInfo("a.weight"))
        XCTAssertEqual(a.shape, [4, 2])
        XCTAssertEqual(a.rows, 2)
        XCTAssertEqual(a.columns, 4)
        XCTAssertEqual(a.format, .f32)
        XCTAssertEqual(a.fileOffset % 32, 0)
        let values = UnsafeBufferPointer(start: file.data(of: a).assumingMemoryBound(to: Float.self), count: 8)
        XCTAssertEqual(Array(values), [1, 2, 3, 4, 5, 6, 7, 8])
        let b = try XCTUnwrap(file.tensorInfo("b.weight"))
        XCTAssertEqual(file.data(of: b).load(fromByteOffset: 8, as: Float.self), 11)
        XCTAssertNil(file.tensorInfo("missing"))
    }

    func testWrongValueTypeIsATypedError() throws {
        let file = try GGUFFile(path: write(try sampleWriter().serialized()))
        XCTAssertThrowsError(try file.int("text")) { error in
            XCTAssertEqual(error as? GGUFError, .wrongValueType(path: file.path, key: "text", expected: "integer", found: "string"))
        }
        XCTAssertThrowsError(try file.value("nope")) { XCTAssertEqual($0 as? GGUFError, .missingKey(path: file.path, key: "nope")) }
    }

    func testTruncatedFileNamesWhatWasBeingRead() throws {
        let full = try sampleWriter().serialized()
        // Cut inside the metadata, then inside the tensor data.
        // Every cut inside the header (metadata and tensor infos) is reported as a truncation.
        let dataStart = try GGUFFile(path: write(full, "full.gguf")).tensors[0].fileOffset
        for cut in stride(from: 4, to: dataStart - 32, by: 7) {
            let path = try write(full.prefix(cut), "cut.gguf")
            XCTAssertThrowsError(try GGUFFile(path: path)) { error in
                XCTAssertTrue("\(error)".contains("truncated"), "cut at \(cut): \(error)")
            }
        }
        // b.weight's 12 bytes are followed by 20 bytes of padding: cut into the data itself.
        let data = try write(full.prefix(full.count - 24), "data.gguf")
        XCTAssertThrowsError(try GGUFFile(path: data)) { error in
            guard case .tensorOutOfBounds(_, let tensor, _, _, _)? = error as? GGUFError else { return XCTFail("\(error)") }
            XCTAssertEqual(tensor, "b.weight")
        }
    }

    func testTensorOffsetPastTheEnd() throws {
        var bytes = try sampleWriter().serialized()
        // The last tensor info ends with its u64 offset, right before the aligned data section.
        let infoEnd = try XCTUnwrap(bytes.range(of: Data("b.weight".utf8))).upperBound + 4 + 8 + 4
        bytes.replaceSubrange(infoEnd..<infoEnd + 8, with: withUnsafeBytes(of: UInt64(1 << 30).littleEndian) { Data($0) })
        XCTAssertThrowsError(try GGUFFile(path: write(bytes))) { error in
            guard case .tensorOutOfBounds(_, let tensor, let offset, _, _)? = error as? GGUFError else { return XCTFail("\(error)") }
            XCTAssertEqual(tensor, "b.weight")
            XCTAssertEqual(offset, 1 << 30)
        }
    }

    func testUnknownTensorTypeNamesTheTensor() throws {
        var bytes = try sampleWriter().serialized()
        let typeOffset = try XCTUnwrap(bytes.range(of: Data("a.weight".utf8))).upperBound + 4 + 16
        bytes.replaceSubrange(typeOffset..<typeOffset + 4, with: withUnsafeBytes(of: UInt32(99).littleEndian) { Data($0) })
        XCTAssertThrowsError(try GGUFFile(path: write(bytes))) { error in
            XCTAssertEqual(error as? GGUFError, .unknownTensorType(path: directory.appendingPathComponent("m.gguf").path, tensor: "a.weight", type: 99))
        }
    }

    func testAbsurdArrayLengthIsRejectedBeforeAllocating() throws {
        var bytes = try sampleWriter().serialized()
        // "numbers" is an array of int32: key, type 9, element type 5, then the u64 count.
        let countOffset = try XCTUnwrap(bytes.range(of: Data("numbers".utf8))).upperBound + 4 + 4
        bytes.replaceSubrange(countOffset..<countOffset + 8, with: withUnsafeBytes(of: UInt64(1) << 60) { Data($0) })
        XCTAssertThrowsError(try GGUFFile(path: write(bytes))) { error in
            guard case .absurdLength(_, let what, let length)? = error as? GGUFError else { return XCTFail("\(error)") }
            XCTAssertTrue(what.contains("numbers"))
            XCTAssertEqual(length, 1 << 60)
        }
    }

    func testNotGGUFAndBadVersion() throws {
        XCTAssertThrowsError(try GGUFFile(path: write(Data("hello world, not a model".utf8)))) {
            guard case .notGGUF? = $0 as? GGUFError else { return XCTFail("\($0)") }
        }
        var bytes = try sampleWriter().serialized()
        bytes.replaceSubrange(4..<8, with: withUnsafeBytes(of: UInt32(1).littleEndian) { Data($0) })
        XCTAssertThrowsError(try GGUFFile(path: write(bytes))) {
            guard case .unsupportedVersion(_, 1)? = $0 as? GGUFError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try GGUFFile(path: directory.appendingPathComponent("absent.gguf").path)) {
            XCTAssertTrue($0 is MappedFileError)
        }
    }

    func testRowsThatAreNotWholeBlocksAreRejected() throws {
        var w = GGUFWriter()
        w.add(GGUFWriter.Tensor(name: "q", shape: [40, 1], format: .q8_0, data: Data(count: 34)))
        XCTAssertThrowsError(try GGUFFile(path: write(try w.serialized()))) {
            guard case .badTensorShape(_, "q", _)? = $0 as? GGUFError else { return XCTFail("\($0)") }
        }
    }

    func testReadsTheEmbeddedModelsHeader() throws {
        let file = try GGUFFile(path: TestPathsBridge.defaultModel().path)
        XCTAssertEqual(try file.string("general.architecture"), "llama")
        XCTAssertEqual(try file.int("llama.block_count"), 30)
        XCTAssertEqual(file.tensors.count, 272)
        XCTAssertEqual(try file.strings("tokenizer.ggml.tokens")?.count, 49152)
        XCTAssertEqual(file.tensorInfo("token_embd.weight")?.format, .q8_0)
        XCTAssertEqual(file.tensorInfo("blk.0.ffn_down.weight")?.format, .q4_1)
        XCTAssertEqual(file.tensorInfo("blk.0.ffn_down.weight")?.shape, [1536, 576])
    }
}
