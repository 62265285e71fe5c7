import Foundation
import LLM
import ModelFiles
import TensorNumerics
import TestSupport
import Tokenizers
import XCTest

/// `LlamaGGUFConverter`: the tiny Hugging Face checkpoints converted to GGUF give the folder's logits.
final class GGUFConversionTests: XCTestCase {
    private func temporary(_ suffix: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("convert-\(UUID().uuidString)\(suffix)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// bf16 → bf16 keeps every weight; only the pairing of RoPE (now adjacent, rows permuted) differs,
    /// which is the same rotation, so logits agree to f32 rounding (allowed 1e-3). f16 holds every
    /// bf16 value of these weights exactly but rounds activations to f16 instead of bf16 (allowed as
    /// the bf16 comparison with transformers, 0.08; measured 0.036). FP8 → bf16 rounds the scaled
    /// e4m3 values to bf16 and the activations too (measured 0.049, allowed 0.08). Q8_0 rounds
    /// weights and activations to 8 bits per 32-value block (up to 2⁻⁸ of the block's largest
    /// value): on these deliberately large random weights that moves logits (up to 5) by 0.20–0.25,
    /// allowed 0.4; `testQ8ConversionEqualsRequantizingTheBF16Conversion` pins the Q8_0 bytes
    /// themselves exactly, so this bound only has to catch layout errors (O(1)).
    func testConvertedGGUFMatchesTheFolder() throws {
        let ids: [Int32] = [1, 17, 42, 99, 3, 250, 7, 7, 64, 128]
        let cases: [(String, TensorFormat, Float)] = [
            ("untied-bf16-sharded", .bf16, 1e-3), ("tied-bf16", .bf16, 1e-3), ("untied-bf16-sharded", .f16, 0.08),
            ("untied-bf16-sharded", .q8_0, 0.4), ("untied-fp8", .bf16, 0.08), ("untied-fp8", .q8_0, 0.4),
        ]
        for (name, format, tolerance) in cases {
            let folder = TestPaths.fixture("hf-llama/\(name)").path
            let output = temporary(".gguf")
            try LlamaGGUFConverter.convert(folder: folder, to: format, output: output)
            let gguf = try GGUFFile(path: output.path)
            XCTAssertEqual(gguf.tensorInfo("blk.0.attn_q.weight")?.format, format)
            XCTAssertEqual(gguf.tensorInfo("blk.1.ffn_norm.weight")?.format, .f32)
            XCTAssertNotNil(gguf.tensorInfo("rope_freqs.weight"))
            let converted = try LlamaModel(gguf: gguf, threads: 2)
            XCTAssertEqual(converted.config.ropePairing, .adjacent)
            let original = try LlamaModel(folder: folder, threads: 2)
            XCTAssertEqual(converted.config.ropeFrequencyFactors, original.config.ropeFrequencyFactors)
            let a = try converted.logitRows(ids).flatMap { $0 }, b = try original.logitRows(ids).flatMap { $0 }
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, tolerance, "\(name) → \(format): max |logit difference| \(worst)")
            print("convert \(name) → \(format): max |logit difference| vs the folder \(worst)")
        }
    }

    /// Converting straight to Q8_0 writes the same bytes as converting to bf16 and requantizing that
    /// file (the bf16 weights are exact in both routes, and the quantizer is ggml's, bit for bit).
    func testQ8ConversionEqualsRequantizingTheBF16Conversion() throws {
        let folder = TestPaths.fixture("hf-llama/untied-bf16-sharded").path
        let direct = temporary(".gguf"), bf16 = temporary(".gguf"), requantized = temporary(".gguf")
        try LlamaGGUFConverter.convert(folder: folder, to: .q8_0, output: direct)
        try LlamaGGUFConverter.convert(folder: folder, to: .bf16, output: bf16)
        try GGUFRequantizer.requantize(GGUFFile(path: bf16.path), to: .q8_0, output: requantized)
        let a = try GGUFFile(path: direct.path), b = try GGUFFile(path: requantized.path)
        XCTAssertEqual(a.tensors.map(\.name).sorted(), b.tensors.map(\.name).sorted())
        for info in a.tensors {
            let other = try XCTUnwrap(b.tensorInfo(info.name))
            XCTAssertEqual(info.format, other.format, info.name)
            XCTAssertEqual(Data(bytes: a.data(of: info), count: info.byteCount), Data(bytes: b.data(of: other), count: other.byteCount), info.name)
        }
    }

    func testTokenizerAndTemplateTravelIntoTheGGUF() throws {
        let folder = temporary("")
        try FileManager.default.copyItem(at: TestPaths.fixture("hf-llama/tied-bf16"), to: folder)
        try FileManager.default.moveItem(at: TestPaths.llama31TokenizerJSON(), to: folder.appendingPathComponent("tokenizer.json"))
        let template = "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m.role }}<|end_header_id|>\n\n{{ m.content }}<|eot_id|>{% endfor %}"
        try JSONSerialization.data(withJSONObject: ["bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "chat_template": template])
            .write(to: folder.appendingPathComponent("tokenizer_config.json"))
        try JSONSerialization.data(withJSONObject: ["do_sample": true, "temperature": 0.6, "top_p": 0.9, "eos_token_id": [2, 3]])
            .write(to: folder.appendingPathComponent("generation_config.json"))
        let output = temporary(".gguf")
        try LlamaGGUFConverter.convert(folder: folder.path, to: .q8_0, output: output)
        let fromFolder = try LanguageModel(path: folder.path, threads: 1)
        let fromGGUF = try LanguageModel(path: output.path, threads: 1)
        XCTAssertEqual(try GGUFFile(path: output.path).int("general.file_type"), 7)
        XCTAssertEqual(fromGGUF.recommendedSampling, fromFolder.recommendedSampling)
        XCTAssertEqual(try XCTUnwrap(fromGGUF.recommendedSampling).temperature, 0.6, accuracy: 1e-6)
        XCTAssertEqual(fromGGUF.tokenizer.bosID, 128_000)
        XCTAssertEqual(fromGGUF.tokenizer.eosID, 128_009)
        let chat = [ChatMessage(role: "user", content: "Which nerve is compressed in meralgia paresthetica?")]
        let rendered = try fromGGUF.renderChat(chat)
        XCTAssertEqual(rendered, try fromFolder.renderChat(chat))
        XCTAssertEqual(fromGGUF.encodePrompt(rendered), fromFolder.encodePrompt(rendered))
        XCTAssertEqual(fromGGUF.encodePrompt(rendered).first, 128_000)
        XCTAssertEqual(fromGGUF.encodePrompt(rendered).filter { $0 == 128_000 }.count, 1)
    }
}
