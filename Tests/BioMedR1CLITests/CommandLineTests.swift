import Foundation
import TestSupport
import XCTest

/// The built `biomed-r1` binary, run as a user runs it.
final class CommandLineTests: XCTestCase {
    typealias Output = CommandOutput

    static var binary: URL {
        // On Linux the test bundle's directory is the build products directory.
        Bundle.main.bundleURL.appendingPathComponent("biomed-r1")
    }

    func run(_ arguments: [String], input: String? = nil) throws -> Output {
        try CommandRunner.run(Self.binary, arguments, input: input)
    }

    private var model: String { get throws { try TestPaths.defaultModel().path } }

    func testGenerateGreedyAnswersAndReportsTimings() throws {
        let r = try run(["generate", "--model", model, "--temperature", "0", "--max-tokens", "16",
                         "What is the capital of France? Answer in one sentence."])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "The capital of France is Paris.\n")
        XCTAssertTrue(r.stderr.contains("prompt: 42 tokens"), r.stderr)
        XCTAssertTrue(r.stderr.contains("generated: 8 tokens"), r.stderr)
    }

    func testGenerateHonoursStopStringsAndMaxTokens() throws {
        let r = try run(["generate", "--model", model, "--temperature", "0", "--stop", " Paris",
                         "What is the capital of France? Answer in one sentence."])
        XCTAssertEqual(r.stdout, "The capital of France is\n")
        let short = try run(["generate", "--model", model, "--temperature", "0", "--max-tokens", "3",
                             "What is the capital of France? Answer in one sentence."])
        XCTAssertEqual(short.stdout, "The capital of\n")
    }

    func testTokenizeMatchesLlamaCpp() throws {
        // Prompt 1's ids from ../shared/references/smollm2-greedy.json (llama.cpp, parse_special).
        let text = "<|im_start|>user\nWhat is the capital of France? Answer in one sentence.<|im_end|>\n"
        let r = try run(["tokenize", "--model", model, "--special", text])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "[1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 19842, 281, 582, 6330, 30, 2, 198]\n")
        let plain = try run(["tokenize", "--model", model, "<|im_end|>"])
        XCTAssertNotEqual(plain.stdout, "[2]\n")
    }

    func testRenderChatUsesTheModelsTemplate() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("messages-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"[{"role": "user", "content": "Hi"}]"#.utf8).write(to: file)
        let r = try run(["tokenize", "--model", model, "--render-chat", file.path])
        XCTAssertEqual(r.stdout, "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        try Data("{not json".utf8).write(to: file)
        let bad = try run(["tokenize", "--model", model, "--render-chat", file.path])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("is not a JSON array"), bad.stderr)
    }

    func testChatKeepsTheCacheBetweenTurnsAndResets() throws {
        let r = try run(["chat", "--model", model, "--temperature", "0", "--max-tokens", "24"],
                        input: "What is the capital of France? Answer in one sentence.\nAnd of Italy?\n/reset\nHello\n/exit\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("The capital of France is Paris.\n"), r.stdout)
        let cached = r.stderr.split(separator: "\n").filter { $0.contains("cached)") }
        XCTAssertEqual(cached.count, 3, r.stderr)
        // The second turn reuses the whole first exchange; after /reset nothing is cached.
        XCTAssertFalse(cached[1].hasSuffix("(0 cached)"), r.stderr)
        XCTAssertTrue(cached[2].hasSuffix("(0 cached)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("(conversation reset)"))
    }

    func testBenchPrintsARateForEveryTest() throws {
        let r = try run(["bench", "--model", model, "-p", "16", "-n", "4", "-t", "1,2", "-r", "2", "-b", "3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try r.stdout.split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(rows.map { $0["test"] as? String }, ["pp16", "tg4", "tg4 x3", "pp16", "tg4", "tg4 x3"])
        XCTAssertEqual(rows.map { $0["threads"] as? Int }, [1, 1, 1, 2, 2, 2])
        for row in rows {
            let median = try XCTUnwrap(row["median"] as? Double)
            XCTAssertGreaterThan(median, 0)
            XCTAssertLessThanOrEqual(try XCTUnwrap(row["min"] as? Double), median)
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(row["max"] as? Double), median)
        }
        let measured = try run(["bench", "--model", model, "-p", "0", "-n", "3", "-t", "1", "-r", "1", "--bandwidth", "--json"])
        XCTAssertEqual(measured.status, 0, measured.stderr)
        let lines = try measured.stdout.split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(lines.map { $0["test"] as? String }, ["tg3", "read-bandwidth", "decode-bandwidth"])
        XCTAssertEqual(lines[2]["tokens"] as? Int, 3)
        XCTAssertGreaterThan(try XCTUnwrap(lines[2]["percent"] as? Double), 0)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(lines[1]["GBps"] as? Double), try XCTUnwrap(lines[2]["probeGBps"] as? Double))
        let bad = try run(["bench", "--model", model, "-t", "zero"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("-t takes thread counts"), bad.stderr)
    }

    func testMissingModelFileIsAClearError() throws {
        let r = try run(["generate", "--model", "/no/such.gguf", "hi"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("no model file '/no/such.gguf'"), r.stderr)
    }

    func testTruncatedModelFileIsAClearError() throws {
        let source = try Data(contentsOf: URL(fileURLWithPath: model), options: .alwaysMapped)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: file) }
        try source.prefix(20_000_000).write(to: file)
        let r = try run(["generate", "--model", file.path, "hi"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("lies outside the file"), r.stderr)
    }
}
