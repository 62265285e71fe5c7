import XCTest
import ModelFiles
import TestSupport
import Tokenizers

final class BPETokenizerErrorTests: XCTestCase {
    /// A tiny byte-level vocabulary: the byte tokens of "a", "b", " " (Ġ) plus two merges.
    let tokens = ["a", "b", "Ġ", "ab", "Ġab", "<|end|>"]
    let types = [1, 1, 1, 1, 1, 3]

    func make(merges: [String]) throws -> BPETokenizer {
        try BPETokenizer(tokens: tokens, tokenTypes: types, merges: merges, preTokenizer: .gpt2)
    }

    func testSmallVocabularyMerges() throws {
        let tokenizer = try make(merges: ["a b", "Ġ ab"])
        XCTAssertEqual(tokenizer.encode("ab ab ba", addSpecial: false, parseSpecial: false), [3, 4, 2, 1, 0])
        XCTAssertEqual(tokenizer.encode("ab<|end|>", addSpecial: false, parseSpecial: true), [3, 5])
        XCTAssertTrue(tokenizer.endOfGenerationIDs.contains(5))
        XCTAssertEqual(tokenizer.decode([4, 2, 1], special: false), " ab b")
    }

    func testSentencePieceVocabularyIsATypedError() throws {
        let url = try TestPaths.asset("llama.cpp/models/ggml-vocab-llama-spm.gguf")
        XCTAssertThrowsError(try BPETokenizer(gguf: GGUFFile(path: url.path))) { error in
            XCTAssertEqual(error as? TokenizerError, .unsupportedModel(type: "llama"))
            XCTAssertTrue("\(error)".contains("SPM vocabularies are not supported yet"), "\(error)")
        }
    }

    func testMergeWithoutSpace() {
        XCTAssertThrowsError(try make(merges: ["a b", "ab"])) { error in
            XCTAssertEqual(error as? TokenizerError, .malformedMerge(rank: 1, merge: "ab"))
        }
    }

    func testMergeNamingUnknownToken() {
        XCTAssertThrowsError(try make(merges: ["a c"])) { error in
            XCTAssertEqual(error as? TokenizerError, .mergeNamesUnknownToken(rank: 0, merge: "a c", token: "c"))
            XCTAssertTrue("\(error)".contains("'c'"))
        }
    }

    func testMergeResultNotInVocabulary() {
        XCTAssertThrowsError(try make(merges: ["b a"])) { error in
            XCTAssertEqual(error as? TokenizerError, .mergeResultNotInVocabulary(rank: 0, merge: "b a"))
        }
    }

    func testDuplicateTokenAndBadIDs() {
        XCTAssertThrowsError(try BPETokenizer(tokens: ["a", "a"], tokenTypes: [], merges: [], preTokenizer: .gpt2)) { error in
            XCTAssertEqual(error as? TokenizerError, .duplicateToken(text: "a", firstID: 0, secondID: 1))
        }
        XCTAssertThrowsError(try BPETokenizer(tokens: tokens, tokenTypes: [1], merges: [], preTokenizer: .gpt2)) { error in
            XCTAssertEqual(error as? TokenizerError, .tokenTypeCountMismatch(tokens: 6, tokenTypes: 1))
        }
        XCTAssertThrowsError(try BPETokenizer(tokens: tokens, tokenTypes: types, merges: [], preTokenizer: .gpt2,
                                              special: SpecialTokenIDs(eos: 6))) { error in
            XCTAssertEqual(error as? TokenizerError, .specialTokenOutOfRange(name: "eos", id: 6, vocabularySize: 6))
        }
        XCTAssertThrowsError(try BPETokenizer(tokens: [], tokenTypes: [], merges: [], preTokenizer: .gpt2)) { error in
            XCTAssertEqual(error as? TokenizerError, .emptyVocabulary)
        }
    }

    func testPreTokenizerNames() {
        XCTAssertEqual(PreTokenizer(ggufName: "llama-bpe"), .llama3)
        XCTAssertEqual(PreTokenizer(ggufName: "smollm"), .smollm)
        XCTAssertEqual(PreTokenizer(ggufName: "qwen2"), .qwen2)
        XCTAssertEqual(PreTokenizer(ggufName: "gpt-2"), .gpt2)
        XCTAssertEqual(PreTokenizer(ggufName: "no-such-pre-tokenizer"), .gpt2)
        XCTAssertEqual(PreTokenizer(ggufName: ""), .llamaDefault)
    }
}
