import XCTest
import ModelFiles
import TestSupport
@testable import Tokenizers

/// llama.cpp's own tokenizer test vectors (tests/test-tokenizer-0.cpp): each `ggml-vocab-*.gguf`
/// has a `.inp` file of texts separated by `\n__ggml_vocab_test__\n` and a `.out` file with one
/// line of expected ids per text, encoded with add_special = false and parse_special = false.
///
/// Covered byte-level BPE vocabularies (pre-tokenizer in brackets): llama-bpe [llama3], gpt-2
/// [gpt2], qwen2 [qwen2], qwen35 [qwen35], starcoder, refact, command-r [smollm], mpt [gpt2],
/// falcon [falcon], deepseek-llm [deepseekLLM], deepseek-coder [deepseekCoder]. Not covered:
/// llama-spm, phi-3 (SentencePiece), bert-bge (WordPiece), gemma-4 (SentencePiece-style BPE).
final class LlamaCppGoldenTests: XCTestCase {
    struct Case {
        let text: String
        let ids: [Int32]
    }

    /// Reads the `.inp`/`.out` pair beside a vocabulary, splitting on bytes: a `\r\n` inside a
    /// text is one `Character` in Swift and must not hide a separator.
    static func cases(for vocab: URL) throws -> [Case] {
        let inp = try [UInt8](Data(contentsOf: URL(fileURLWithPath: vocab.path + ".inp")))
        let out = try String(contentsOf: URL(fileURLWithPath: vocab.path + ".out"), encoding: .utf8)
        let separator = Array("\n__ggml_vocab_test__\n".utf8)
        var texts: [String] = []
        var pos = 0
        while pos < inp.count {
            var next = pos
            var found = false
            while next + separator.count <= inp.count {
                if inp[next] == separator[0] && Array(inp[next..<next + separator.count]) == separator { found = true; break }
                next += 1
            }
            if !found {
                texts.append(String(decoding: inp[pos...], as: UTF8.self))
                break
            }
            texts.append(String(decoding: inp[pos..<next], as: UTF8.self))
            pos = next + separator.count
        }
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let expected = Array(lines.prefix(texts.count)).map { line in
            line.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
        }
        XCTAssertEqual(texts.count, expected.count, "\(vocab.lastPathComponent): .inp and .out disagree on the number of tests")
        return zip(texts, expected).map { Case(text: $0, ids: $1) }
    }

    /// Encodes every golden text and returns how many matched, reporting each mismatch.
    @discardableResult
    func check(_ name: String, expectedPreTokenizer: PreTokenizer, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let url = try TestPaths.asset("llama.cpp/models/ggml-vocab-\(name).gguf")
        let tokenizer = try BPETokenizer(gguf: GGUFFile(path: url.path))
        XCTAssertEqual(tokenizer.preTokenizer, expectedPreTokenizer, name, file: file, line: line)
        let cases = try Self.cases(for: url)
        XCTAssertGreaterThanOrEqual(cases.count, 40, "\(name): too few golden cases read", file: file, line: line)
        var passed = 0
        for c in cases {
            let ids = tokenizer.encode(c.text, addSpecial: false, parseSpecial: false)
            if ids == c.ids {
                passed += 1
            } else {
                XCTFail("\(name): \(c.text.debugDescription)\n  expected \(c.ids)\n  got      \(ids)", file: file, line: line)
            }
        }
        XCTAssertEqual(passed, cases.count, "\(name): \(passed)/\(cases.count) golden cases match", file: file, line: line)
        print("GOLDEN \(name): \(passed)/\(cases.count)")
        return passed
    }

    func testLlamaBPE() throws { try check("llama-bpe", expectedPreTokenizer: .llama3) }
    func testGPT2() throws { try check("gpt-2", expectedPreTokenizer: .gpt2) }
    func testQwen2() throws { try check("qwen2", expectedPreTokenizer: .qwen2) }
    func testQwen35() throws { try check("qwen35", expectedPreTokenizer: .qwen35) }
    func testStarCoder() throws { try check("starcoder", expectedPreTokenizer: .smollm) }
    func testRefact() throws { try check("refact", expectedPreTokenizer: .smollm) }
    func testCommandR() throws { try check("command-r", expectedPreTokenizer: .smollm) }
    func testMPT() throws { try check("mpt", expectedPreTokenizer: .gpt2) }
    func testFalcon() throws { try check("falcon", expectedPreTokenizer: .falcon) }
    func testDeepSeekLLM() throws { try check("deepseek-llm", expectedPreTokenizer: .deepseekLLM) }
    func testDeepSeekCoder() throws { try check("deepseek-coder", expectedPreTokenizer: .deepseekCoder) }
}
