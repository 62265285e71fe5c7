import XCTest
import ModelFiles
import TestSupport
import Tokenizers

/// Random texts (contractions in any case, every kind of whitespace, digits of many scripts,
/// CJK, emoji sequences, combining marks, control and unassigned code points, long runs, special
/// tokens written out) encoded by llama.cpp's own pre-tokenizer and BPE code: unicode.cpp and
/// unicode-data.cpp compiled as they are, with the BPE session and special-token partition of
/// llama-vocab.cpp (see Tests/Fixtures/tokenizers/README.md). One JSON object per line:
/// `text`, `parse_special`, `ids`.
final class LlamaCppFuzzTests: XCTestCase {
    struct Case: Decodable {
        let text: String
        let parse_special: Bool
        let ids: [Int32]
    }

    func check(fixture: String, tokenizer: () throws -> BPETokenizer, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = TestPaths.fixture("tokenizers/\(fixture)")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, 100, "\(fixture) is truncated", file: file, line: line)
        let tokenizer = try tokenizer()
        var passed = 0
        for entry in lines {
            let c = try JSONDecoder().decode(Case.self, from: Data(entry.utf8))
            let ids = tokenizer.encode(c.text, addSpecial: false, parseSpecial: c.parse_special)
            if ids == c.ids {
                passed += 1
            } else {
                XCTFail("\(fixture): \(c.text.debugDescription) parse_special=\(c.parse_special)\n  expected \(c.ids)\n  got      \(ids)", file: file, line: line)
            }
            // Special tokens aside, decoding gives the text back, unless a byte of it has no token
            // (SmolLM2 lacks a few lead bytes of unassigned planes; llama.cpp drops those too).
            let bytesCovered = c.text.utf8.allSatisfy { tokenizer.id(of: ByteLevelEncoding.encode([$0])) != nil }
            if !c.parse_special && bytesCovered {
                XCTAssertEqual(tokenizer.decode(ids, special: false), c.text, file: file, line: line)
            }
        }
        XCTAssertEqual(passed, lines.count, file: file, line: line)
    }

    func gguf(_ name: String) throws -> BPETokenizer {
        try BPETokenizer(gguf: GGUFFile(path: TestPaths.asset("llama.cpp/models/ggml-vocab-\(name).gguf").path))
    }

    func testLlamaBPE() throws { try check(fixture: "llamacpp-fuzz-llama-bpe.jsonl") { try BPETestVocabularies.llamaBPE.get() } }
    func testSmolLM2() throws { try check(fixture: "llamacpp-fuzz-smollm2.jsonl") { try BPETestVocabularies.smolLM2.get() } }
    func testGPT2() throws { try check(fixture: "llamacpp-fuzz-gpt-2.jsonl") { try gguf("gpt-2") } }
    func testQwen2() throws { try check(fixture: "llamacpp-fuzz-qwen2.jsonl") { try gguf("qwen2") } }
}
