import XCTest
import ModelFiles
import TensorNumerics
import TestSupport
@testable import Encoder

/// Corrupt or mismatched checkpoints are refused with typed errors, not crashes.
final class CheckpointErrorTests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("encoder-errors-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: EncoderFixtures.tinyClassifier, to: scratch)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Rewrites config.json through `edit`.
    func editConfig(_ edit: (inout [String: Any]) -> Void) throws {
        let url = scratch.appendingPathComponent("config.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        edit(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: url)
    }

    /// Rewrites model.safetensors, dropping or reshaping tensors.
    func rewriteWeights(drop: String? = nil, truncate: String? = nil) throws {
        let url = scratch.appendingPathComponent("model.safetensors")
        let file = try SafetensorsFile(path: url.path)
        var tensors: [(String, [Int], [Float])] = []
        for info in file.tensors where info.name != drop {
            let values = Array(UnsafeBufferPointer(start: file.data(of: info).assumingMemoryBound(to: Float.self), count: info.elementCount))
            if info.name == truncate {
                tensors.append((info.name, [info.shape[0] - 1] + info.shape.dropFirst(), Array(values.dropLast(info.columns))))
            } else {
                tensors.append((info.name, info.shape, values))
            }
        }
        try writeSafetensors(tensors, to: url)
    }

    func writeSafetensors(_ tensors: [(String, [Int], [Float])], to url: URL) throws {
        var header: [String: Any] = [:]
        var body = Data()
        for (name, shape, values) in tensors {
            header[name] = ["dtype": "F32", "shape": shape, "data_offsets": [body.count, body.count + values.count * 4]]
            values.withUnsafeBytes { body.append(contentsOf: $0) }
        }
        var json = try JSONSerialization.data(withJSONObject: header)
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(body)
        try out.write(to: url)
    }

    func testMissingTensor() throws {
        try rewriteWeights(drop: "bert.encoder.layer.1.attention.self.key.bias")
        XCTAssertThrowsError(try BertSequenceClassifier(folder: scratch)) { error in
            guard case .missingTensor(let name, _)? = error as? EncoderError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "bert.encoder.layer.1.attention.self.key.bias")
        }
    }

    func testWrongShape() throws {
        try rewriteWeights(truncate: "bert.embeddings.position_embeddings.weight")
        XCTAssertThrowsError(try BertSequenceClassifier(folder: scratch)) { error in
            XCTAssertEqual(error as? EncoderError, .wrongShape(name: "bert.embeddings.position_embeddings.weight", expected: [64, 32], found: [63, 32]))
        }
    }

    func testNoLabels() throws {
        try editConfig { $0.removeValue(forKey: "id2label"); $0.removeValue(forKey: "label2id") }
        XCTAssertThrowsError(try BertSequenceClassifier(folder: scratch)) { error in
            guard case .missingLabels? = error as? EncoderError else { return XCTFail("\(error)") }
        }
        // The encoder alone still loads: only the classifier needs names.
        XCTAssertNoThrow(try BertEncoder(folder: scratch))
    }

    func testVocabularySizeMismatch() throws {
        let vocab = scratch.appendingPathComponent("vocab.txt")
        let lines = try String(contentsOf: vocab, encoding: .utf8).split(separator: "\n").count
        try (String(contentsOf: vocab, encoding: .utf8) + "extra1\nextra2\n").write(to: vocab, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try BertSequenceClassifier(folder: scratch)) { error in
            XCTAssertEqual(error as? EncoderError, .vocabularySizeMismatch(tokenizer: lines + 2, embeddings: lines))
        }
    }

    func testConfigAndWeightsFromDifferentModels() throws {
        try editConfig { $0["hidden_size"] = 64 }
        XCTAssertThrowsError(try BertSequenceClassifier(folder: scratch)) { error in
            guard case .wrongShape(let name, let expected, _)? = error as? EncoderError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "bert.embeddings.word_embeddings.weight")
            XCTAssertEqual(expected.last, 64)
        }
    }

    func testMissingWeightsFile() throws {
        try FileManager.default.removeItem(at: scratch.appendingPathComponent("model.safetensors"))
        XCTAssertThrowsError(try BertEncoder(folder: scratch)) { error in
            guard case .missingFile(let path)? = error as? EncoderError else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("model.safetensors"))
            XCTAssertTrue((error as! EncoderError).description.contains("config.json"))
        }
    }
}
