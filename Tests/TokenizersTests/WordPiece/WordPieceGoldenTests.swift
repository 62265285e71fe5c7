import XCTest
import ModelFiles
import TestSupport
@testable import Tokenizers

/// llama.cpp's BERT golden vectors (ggml-vocab-bert-bge: bert-base-uncased's vocabulary, ids
/// written by Hugging Face's tokenizer without special tokens), read as LlamaCppGoldenTests reads
/// the BPE ones.
final class WordPieceGoldenTests: XCTestCase {
    func testLlamaCppBertGoldens() throws {
        let url = try TestPaths.asset("llama.cpp/models/ggml-vocab-bert-bge.gguf")
        let tokenizer = try WordPieceTokenizer(gguf: GGUFFile(path: url.path))
        XCTAssertEqual(tokenizer.vocabulary.count, 30522)
        XCTAssertEqual(tokenizer.vocabulary[2003], "is")
        let cases = try LlamaCppGoldenTests.cases(for: url)
        XCTAssertGreaterThanOrEqual(cases.count, 46)
        var passed = 0
        for c in cases {
            let ids = tokenizer.tokenize(c.text)
            if ids == c.ids { passed += 1 } else {
                XCTFail("\(c.text.debugDescription)\n  expected \(c.ids)\n  got      \(ids)")
            }
        }
        print("GOLDEN bert-bge: \(passed)/\(cases.count)")
        XCTAssertEqual(passed, cases.count)
    }

    func testGreedyLongestMatchAndUnknown() throws {
        let vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "unaff", "##a", "runn", "##ing", ",", "é"]
        let t = try WordPieceTokenizer(vocabulary: vocab)
        // "unaff" beats "un" (longest first); "xyz" has no piece, so the whole word is [UNK].
        XCTAssertEqual(t.tokenize("UNAFFABLE, xyz runnING"), [8, 7, 12, 1, 10, 11])
        // Accents are stripped when lower-casing, so "é" itself can never match.
        XCTAssertEqual(t.tokenize("é"), [1])
        XCTAssertEqual(t.tokenize(String(repeating: "a", count: 101)), [1])
        let e = t.encode("un", pair: "runn")
        XCTAssertEqual(e.ids, [2, 5, 3, 10, 3])
        XCTAssertEqual(e.typeIDs, [0, 0, 0, 1, 1])
        XCTAssertEqual(t.encode("un un un un", maxLength: 4).ids, [2, 5, 5, 3])
    }

    func testMissingSpecialTokenIsTypedError() {
        XCTAssertThrowsError(try WordPieceTokenizer(vocabulary: ["[PAD]", "[CLS]", "[SEP]", "a"])) { error in
            XCTAssertEqual(error as? WordPieceError, .missingSpecialToken("[UNK]"))
        }
        XCTAssertThrowsError(try WordPieceTokenizer(vocabulary: [])) { error in
            XCTAssertEqual(error as? WordPieceError, .emptyVocabulary)
        }
    }
}
