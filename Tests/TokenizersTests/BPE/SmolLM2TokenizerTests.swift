import XCTest
import ModelFiles
import TestSupport
import Tokenizers

/// The embedded model's tokenizer (pre-tokenizer `smollm`) against llama.cpp's own encoding of
/// real chat prompts (/work/shared/references/smollm2-greedy.json, made with libllama and
/// parse_special = true) and its generated text.
final class SmolLM2TokenizerTests: XCTestCase {
    typealias Reference = SmolLM2Reference

    static let tokenizer: Result<BPETokenizer, Error> = Result {
        try BPETokenizer(gguf: GGUFFile(path: TestPaths.defaultModel().path))
    }

    func reference() throws -> Reference {
        try SmolLM2Reference.load()
    }

    func testVocabularyMetadata() throws {
        let tokenizer = try Self.tokenizer.get()
        let gguf = try GGUFFile(path: TestPaths.defaultModel().path)
        XCTAssertEqual(tokenizer.vocabularySize, try gguf.strings("tokenizer.ggml.tokens")?.count)
        XCTAssertEqual(try gguf.string("tokenizer.ggml.pre"), "smollm")
        XCTAssertEqual(tokenizer.preTokenizer, .smollm)
        XCTAssertEqual(tokenizer.bosID.map(Int.init), try gguf.int("tokenizer.ggml.bos_token_id"))
        XCTAssertEqual(tokenizer.eosID.map(Int.init), try gguf.int("tokenizer.ggml.eos_token_id"))
        XCTAssertEqual(tokenizer.addBOS, try gguf.bool("tokenizer.ggml.add_bos_token"))
        let imStart = try XCTUnwrap(tokenizer.id(of: "<|im_start|>"))
        let imEnd = try XCTUnwrap(tokenizer.id(of: "<|im_end|>"))
        let endOfText = try XCTUnwrap(tokenizer.id(of: "<|endoftext|>"))
        XCTAssertTrue(tokenizer.isControl(imStart))
        XCTAssertFalse(tokenizer.isControl(try XCTUnwrap(tokenizer.id(of: "Ġthe"))))
        XCTAssertTrue(tokenizer.endOfGenerationIDs.contains(imEnd))
        XCTAssertTrue(tokenizer.endOfGenerationIDs.contains(endOfText))
        XCTAssertFalse(tokenizer.endOfGenerationIDs.contains(imStart))
    }

    func testPromptIDsMatchLlamaCpp() throws {
        let tokenizer = try Self.tokenizer.get()
        let reference = try reference()
        XCTAssertFalse(reference.cases.isEmpty)
        for c in reference.cases {
            let ids = tokenizer.encode(c.rendered_prompt, addSpecial: false, parseSpecial: true)
            XCTAssertEqual(ids, c.prompt_ids, "\(c.prompt) (\(c.model))")
            // llama.cpp's add_special only adds BOS when the vocabulary asks; SmolLM2's does not.
            XCTAssertEqual(tokenizer.encode(c.rendered_prompt, addSpecial: true, parseSpecial: true), c.prompt_ids)
        }
    }

    func testGeneratedIDsDecodeToReferenceText() throws {
        let tokenizer = try Self.tokenizer.get()
        for c in try reference().cases {
            XCTAssertEqual(tokenizer.decode(c.generated_ids, special: false), c.text, "\(c.prompt) (\(c.model))")
            var stream = StreamingDecoder(tokenizer: tokenizer, special: false)
            let streamed = c.generated_ids.map { stream.append($0) }.joined() + stream.flush()
            XCTAssertEqual(streamed, c.text)
        }
    }

    func testPromptsRoundTripWithSpecialTokens() throws {
        let tokenizer = try Self.tokenizer.get()
        for c in try reference().cases {
            XCTAssertEqual(tokenizer.decode(c.prompt_ids, special: true), c.rendered_prompt)
        }
    }
}
