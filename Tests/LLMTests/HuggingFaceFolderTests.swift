import Foundation
import LLM
import ModelFiles
import TestSupport
import Tokenizers
import XCTest

/// A whole Hugging Face folder as `LanguageModel` loads it: the tiny bf16 checkpoint with Llama-3.1's
/// tokenizer.json, tokenizer_config.json (chat template, BOS/EOS) and generation_config.json.
final class HuggingFaceFolderTests: XCTestCase {
    private func llama31Folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hf-folder-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestPaths.fixture("hf-llama/tied-bf16"), to: folder)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let tokenizer = try TestPaths.llama31TokenizerJSON()
        try FileManager.default.moveItem(at: tokenizer, to: folder.appendingPathComponent("tokenizer.json"))
        let template = try String(contentsOf: TestPaths.asset("llama.cpp/models/templates/meta-llama-Llama-3.1-8B-Instruct.jinja"), encoding: .utf8)
        let tokenizerConfig: [String: Any] = [
            "bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "chat_template": template,
            "model_max_length": 131_072, "tokenizer_class": "PreTrainedTokenizerFast",
        ]
        try JSONSerialization.data(withJSONObject: tokenizerConfig).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        // Llama-3.1-8B-Instruct's generation_config.json.
        let generation: [String: Any] = [
            "bos_token_id": 128_000, "do_sample": true, "eos_token_id": [128_001, 128_008, 128_009],
            "temperature": 0.6, "top_p": 0.9,
        ]
        try JSONSerialization.data(withJSONObject: generation).write(to: folder.appendingPathComponent("generation_config.json"))
        return folder
    }

    func testFolderLoadsTokenizerTemplateAndGenerationDefaults() throws {
        let folder = try llama31Folder()
        let model = try LanguageModel(path: folder.path, threads: 1)
        XCTAssertEqual(model.model.config.ropePairing, .halves)
        XCTAssertEqual(model.tokenizer.bosID, 128_000)
        XCTAssertEqual(model.tokenizer.eosID, 128_009)
        XCTAssertTrue(model.stopTokenIDs.isSuperset(of: [128_001, 128_008, 128_009]))
        let sampling = try XCTUnwrap(model.recommendedSampling)
        XCTAssertEqual(sampling.temperature, 0.6, accuracy: 1e-6)
        XCTAssertEqual(sampling.topP, 0.9, accuracy: 1e-6)
        // Unsaid in the file: transformers' defaults, not llama.cpp's 40 and 0.05.
        XCTAssertEqual(sampling.topK, 50)
        XCTAssertEqual(sampling.minP, 0)
        XCTAssertNotNil(model.chatTemplate)
    }

    /// A folder with Meta's tiktoken tokenizer.model instead of tokenizer.json loads, encodes chats as
    /// the tokenizer.json folder does, and converts to a GGUF with the same vocabulary; with neither
    /// file the error names the folder.
    func testTokenizerModelStandsInForTokenizerJSON() throws {
        let withJSON = try llama31Folder()
        let withModel = FileManager.default.temporaryDirectory.appendingPathComponent("hf-tiktoken-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: withJSON, to: withModel)
        addTeardownBlock { try? FileManager.default.removeItem(at: withModel) }
        try FileManager.default.removeItem(at: withModel.appendingPathComponent("tokenizer.json"))
        try FileManager.default.copyItem(at: TestPaths.asset("llama3/tokenizer.model"), to: withModel.appendingPathComponent("tokenizer.model"))
        let a = try LanguageModel(path: withJSON.path, threads: 1), b = try LanguageModel(path: withModel.path, threads: 1)
        let chat = [ChatMessage(role: "system", content: "Answer briefly."),
                    ChatMessage(role: "user", content: "Which artery supplies the SA node in most people?")]
        let rendered = try b.renderChat(chat)
        XCTAssertEqual(rendered, try a.renderChat(chat))
        XCTAssertEqual(b.encodePrompt(rendered), a.encodePrompt(rendered))
        XCTAssertEqual(b.stopTokenIDs, a.stopTokenIDs)
        let gguf = withModel.appendingPathComponent("out.gguf")
        try LlamaGGUFConverter.convert(folder: withModel.path, to: .bf16, output: gguf)
        XCTAssertEqual(try GGUFFile(path: gguf.path).strings("tokenizer.ggml.tokens")?.count, 128_256)
        XCTAssertEqual(try LanguageModel(path: gguf.path, threads: 1).encodePrompt(rendered), a.encodePrompt(rendered))

        try FileManager.default.removeItem(at: withModel.appendingPathComponent("tokenizer.model"))
        XCTAssertThrowsError(try LanguageModel(path: withModel.path, threads: 1)) {
            XCTAssertTrue("\($0)".contains(withModel.path) && "\($0)".contains("tokenizer.model"), "\($0)")
        }
    }

    /// The Llama-3.1 template from tokenizer_config.json renders as jinja2 does and its prompt ids
    /// match transformers', with the template's own <|begin_of_text|> not doubled by the tokenizer's BOS.
    func testLlama31ChatGoldenRendersAndEncodes() throws {
        guard let goldenURL = TestPaths.sharedReference("llama31-chat-golden.json") else {
            throw XCTSkip("../shared/references/llama31-chat-golden.json is not beside this checkout")
        }
        let golden = try JSONSerialization.jsonObject(with: Data(contentsOf: goldenURL)) as! [String: Any]
        let model = try LanguageModel(path: try llama31Folder().path, threads: 1)
        let cases = golden["chat_cases"] as! [[String: Any]]
        XCTAssertFalse(cases.isEmpty)
        for item in cases {
            let messages = (item["messages"] as! [[String: String]]).map { ChatMessage(role: $0["role"]!, content: $0["content"]!) }
            let rendered = try model.renderChat(messages, addGenerationPrompt: item["add_generation_prompt"] as! Bool)
            XCTAssertEqual(rendered, item["rendered"] as? String)
            let ids = model.encodePrompt(rendered)
            XCTAssertEqual(ids, (item["ids"] as! [NSNumber]).map { Int32($0.int32Value) })
            XCTAssertEqual(ids.filter { $0 == 128_000 }.count, 1, "BOS doubled")
        }
        for item in golden["plain_cases"] as! [[String: Any]] {
            XCTAssertEqual(model.tokenizer.encode(item["text"] as! String, addSpecial: false, parseSpecial: true),
                           (item["ids"] as! [NSNumber]).map { Int32($0.int32Value) })
        }
    }

    func testDateStringReachesTheSystemHeader() throws {
        let model = try LanguageModel(path: try llama31Folder().path, threads: 1)
        let template = try XCTUnwrap(model.chatTemplate)
        let text = try template.render(messages: [ChatMessage(role: "user", content: "Hi")], addGenerationPrompt: true,
                                       bosToken: "<|begin_of_text|>", eosToken: "<|eot_id|>", extra: ["date_string": .string("01 Nov 2026")])
        XCTAssertTrue(text.contains("Cutting Knowledge Date: December 2023\nToday Date: 01 Nov 2026"), text)
        XCTAssertTrue(text.hasPrefix("<|begin_of_text|><|start_header_id|>system"))
    }

    func testLocatorAcceptsHuggingFaceFoldersOnly() throws {
        let folder = try llama31Folder()
        XCTAssertEqual(try ModelLocator().resolve(folder.path).path, folder.path)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        XCTAssertThrowsError(try ModelLocator().resolve(empty.path)) {
            guard case ModelLocatorError.unsupportedLayout = $0 else { return XCTFail("\($0)") }
        }
    }
}
