import Foundation
import ModelFiles
import TestSupport
import XCTest

/// `--model FOLDER` and `convert`, through the built binary.
final class HuggingFaceFolderCommandTests: XCTestCase {
    private func run(_ arguments: [String]) throws -> CommandOutput {
        try CommandRunner.run(CommandLineTests.binary, arguments)
    }

    /// The tiny bf16 checkpoint with Llama-3.1's tokenizer and a Llama-3-style template.
    private func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-hf-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestPaths.fixture("hf-llama/tied-bf16"), to: folder)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.moveItem(at: TestPaths.llama31TokenizerJSON(), to: folder.appendingPathComponent("tokenizer.json"))
        let template = "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m.role }}<|end_header_id|>\n\n{{ m.content }}<|eot_id|>{% endfor %}"
        try JSONSerialization.data(withJSONObject: ["bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "chat_template": template])
            .write(to: folder.appendingPathComponent("tokenizer_config.json"))
        return folder
    }

    func testConvertThenTheGGUFTokenizesAsTheFolder() throws {
        let folder = try folder()
        let gguf = folder.appendingPathComponent("out.bf16.gguf")
        let converted = try run(["convert", folder.path, "--type", "bf16", "-o", gguf.path])
        XCTAssertEqual(converted.status, 0, converted.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: gguf.path))
        let text = "Meralgia paresthetica: lateral femoral cutaneous nerve"
        let fromFolder = try run(["tokenize", "--model", folder.path, text])
        let fromGGUF = try run(["tokenize", "--model", gguf.path, text])
        XCTAssertEqual(fromFolder.status, 0, fromFolder.stderr)
        XCTAssertEqual(fromFolder.stdout, fromGGUF.stdout)
        XCTAssertTrue(fromFolder.stdout.hasPrefix("[128000,"), fromFolder.stdout)
        // (The tiny model's 256-row vocabulary cannot run Llama-3 ids; GGUFConversionTests compares logits.)
    }

    /// `--type q4_k` through the binary: Q4_K matrices, the Q8_0 head, llama.cpp's file type for Q4_K_M.
    func testConvertToQ4K() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cli-q4k-\(UUID().uuidString).gguf")
        addTeardownBlock { try? FileManager.default.removeItem(at: output) }
        let r = try run(["convert", TestPaths.fixture("hf-llama/untied-bf16-256").path, "--type", "q4_k", "-o", output.path, "--threads", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let gguf = try GGUFFile(path: output.path)
        XCTAssertEqual(try gguf.int("general.file_type"), 15)
        XCTAssertEqual(gguf.tensorInfo("blk.0.ffn_down.weight")?.format, .q4_K)
        XCTAssertEqual(gguf.tensorInfo("output.weight")?.format, .q8_0)
    }

    func testContextBeyondTheModelsLimitIsRefused() throws {
        let r = try run(["generate", "--model", try folder().path, "--ctx", "100000", "--raw", "Hi"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("512"), r.stderr)
        let bad = try run(["convert", try folder().path, "--type", "q3_k", "-o", "/tmp/never.gguf"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("q8_0"), bad.stderr)
    }
}
