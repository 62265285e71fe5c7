import XCTest
import ModelFiles
import TestSupport
import Tokenizers

final class BPESpecialTokenTests: XCTestCase {
    func testControlTokensParsedOnlyWhenAsked() throws {
        let tokenizer = try BPETestVocabularies.smolLM2.get()
        let imStart = try XCTUnwrap(tokenizer.id(of: "<|im_start|>"))
        XCTAssertTrue(tokenizer.isControl(imStart))

        let parsed = tokenizer.encode("<|im_start|>user", addSpecial: false, parseSpecial: true)
        XCTAssertEqual(parsed.first, imStart)
        XCTAssertEqual(Array(parsed.dropFirst()), tokenizer.encode("user", addSpecial: false, parseSpecial: false))

        let plain = tokenizer.encode("<|im_start|>user", addSpecial: false, parseSpecial: false)
        XCTAssertFalse(plain.contains(imStart))
        XCTAssertGreaterThan(plain.count, 2)
        XCTAssertEqual(tokenizer.decode(plain, special: false), "<|im_start|>user")
    }

    func testControlTokenTextOnlyWithSpecial() throws {
        let tokenizer = try BPETestVocabularies.smolLM2.get()
        let imEnd = try XCTUnwrap(tokenizer.id(of: "<|im_end|>"))
        XCTAssertEqual(tokenizer.bytes(of: imEnd, special: true), Array("<|im_end|>".utf8))
        XCTAssertEqual(tokenizer.bytes(of: imEnd, special: false), [])
        XCTAssertEqual(tokenizer.decode([imEnd], special: false), "")
        XCTAssertEqual(tokenizer.text(of: imEnd), "<|im_end|>")
        XCTAssertNil(tokenizer.text(of: Int32(tokenizer.vocabularySize)))
        XCTAssertEqual(tokenizer.bytes(of: -1, special: true), [])
    }

    func testLongestSpecialTokenWins() throws {
        // Llama 3's <|begin_of_text|> and friends sit next to ordinary text without spaces.
        let tokenizer = try BPETestVocabularies.llamaBPE.get()
        let bot = try XCTUnwrap(tokenizer.id(of: "<|begin_of_text|>"))
        let header = try XCTUnwrap(tokenizer.id(of: "<|start_header_id|>"))
        let ids = tokenizer.encode("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", addSpecial: false, parseSpecial: true)
        XCTAssertEqual(Array(ids.prefix(2)), [bot, header])
        XCTAssertEqual(tokenizer.decode(ids, special: true), "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>")
    }

    func testAddSpecialFollowsVocabulary() throws {
        let tokenizer = try BPETestVocabularies.llamaBPE.get()
        // llama.cpp adds BOS for llama-bpe by default (the file does not say otherwise).
        XCTAssertTrue(tokenizer.addBOS)
        let bos = try XCTUnwrap(tokenizer.bosID)
        XCTAssertEqual(tokenizer.text(of: bos), "<|begin_of_text|>")
        let with = tokenizer.encode("Hello", addSpecial: true, parseSpecial: false)
        let without = tokenizer.encode("Hello", addSpecial: false, parseSpecial: false)
        XCTAssertEqual(with, [bos] + without)
        XCTAssertEqual(tokenizer.encode("", addSpecial: true, parseSpecial: false), [bos])
    }

    func testEndOfGenerationTokens() throws {
        let llama = try BPETestVocabularies.llamaBPE.get()
        for text in ["<|eot_id|>", "<|end_of_text|>"] {
            XCTAssertTrue(llama.endOfGenerationIDs.contains(try XCTUnwrap(llama.id(of: text))), text)
        }
        XCTAssertFalse(llama.endOfGenerationIDs.contains(try XCTUnwrap(llama.id(of: "<|start_header_id|>"))))
        let eos = try XCTUnwrap(llama.eosID)
        XCTAssertTrue(llama.endOfGenerationIDs.contains(eos))
    }
}
