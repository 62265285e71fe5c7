import Foundation
import TestSupport
import XCTest
@testable import Tokenizers

/// Renders every chat template in llama.cpp's collection (plus SmolLM2's) through the conversations of
/// `goldens.json` and requires the exact text, or the same exception, that jinja2 produced
/// (see `scripts/make-chat-template-goldens.py`).
final class ChatTemplateGoldenTests: XCTestCase {
    /// Templates whose jinja2 behaviour is knowingly out of scope, with the reason. Keep it empty if possible.
    static let knownExceptions: [String: String] = [:]

    private struct Goldens: Decodable {
        var bos_token: String
        var eos_token: String
        var now: [Int]
        var templates: [Template]
    }

    private struct Template: Decodable {
        var name: String
        var location: String
        var cases: [Case]
    }

    private struct Case: Decodable {
        var conversation: String
        var generation_prompt: Bool
        var rendered: String?
        /// With `keep` and `rest`: the text is the first `keep` code points of case number `from`, then `rest`.
        var from: Int?
        var keep: Int?
        var rest: String?
        var error: Failure?
    }

    /// A conversation as the generator passed it: messages (with any extra fields, in key order) and tools.
    private struct Conversation {
        var messages: JinjaValue
        var tools: JinjaValue

        /// The messages as `ChatMessage`s when they are plain role/content strings and there are no tools.
        var plainMessages: [ChatMessage]? {
            guard case .none = tools, case let .array(items) = messages else { return nil }
            var result: [ChatMessage] = []
            for item in items {
                guard case let .object(o) = item, o.count == 2, case let .string(role)? = o["role"],
                      case let .string(content)? = o["content"] else { return nil }
                result.append(ChatMessage(role: role, content: content))
            }
            return result
        }
    }

    private struct Failure: Decodable {
        var type: String
        var message: String
        var phase: String
    }

    private func loadGoldens() throws -> (Goldens, [String: Conversation]) {
        let data = try Data(contentsOf: TestPaths.fixture("chat-templates/goldens.json"))
        let goldens = try JSONDecoder().decode(Goldens.self, from: data)
        // Conversations are read as template values so that their key order (which `tojson` shows) is kept.
        guard case let .object(root) = try JinjaValue(json: data), case let .object(table)? = root["conversations"] else {
            throw XCTSkip("goldens.json has no conversations")
        }
        var conversations: [String: Conversation] = [:]
        for (name, value) in table {
            guard case let .object(c) = value else { continue }
            conversations[name] = Conversation(messages: c["messages"] ?? .array([]), tools: c["tools"] ?? .none)
        }
        return (goldens, conversations)
    }

    /// The goldens' wall-clock time as a `Date` in the local time zone, as Python's naive datetime is.
    private func fixedNow(_ parts: [Int]) -> Date {
        var components = DateComponents()
        (components.year, components.month, components.day) = (parts[0], parts[1], parts[2])
        (components.hour, components.minute, components.second) = (parts[3], parts[4], parts[5])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        return calendar.date(from: components)!
    }

    private func source(of template: Template) throws -> String {
        if template.location.hasPrefix("fixture:") {
            return try String(contentsOf: TestPaths.fixture(String(template.location.dropFirst("fixture:".count))), encoding: .utf8)
        }
        do {
            return try String(contentsOf: TestPaths.asset(template.location), encoding: .utf8)
        } catch let missing as MissingAsset {
            throw XCTSkip(missing.description)
        }
    }

    /// Expected text of each case, undoing the generator's shared-prefix compression.
    private func expectedTexts(_ template: Template) -> [String?] {
        var texts: [String?] = []
        for c in template.cases {
            if let r = c.rendered {
                texts.append(r)
            } else if let from = c.from, let length = c.keep, let rest = c.rest, let base = texts[from] {
                texts.append(String(String.UnicodeScalarView(base.unicodeScalars.prefix(length))) + rest)
            } else {
                texts.append(nil)
            }
        }
        return texts
    }

    func testEveryTemplateMatchesJinja2() throws {
        let (goldens, conversations) = try loadGoldens()
        let now = fixedNow(goldens.now)
        var passed = 0, total = 0
        var failing: [String: Int] = [:]
        for template in goldens.templates {
            let text = try source(of: template)
            let expected = expectedTexts(template)
            let parsed = Result { try ChatTemplate(text) }
            var templateFailures = 0
            for (i, c) in template.cases.enumerated() {
                total += 1
                let conversation = try XCTUnwrap(conversations[c.conversation], "unknown conversation \(c.conversation)")
                let outcome = Result { () throws -> String in
                    let template = try parsed.get()
                    if let messages = conversation.plainMessages {
                        return try template.render(messages: messages, addGenerationPrompt: c.generation_prompt,
                                                   bosToken: goldens.bos_token, eosToken: goldens.eos_token, now: now)
                    }
                    let json = try JinjaJSON.dumps(conversation.messages, .init(itemSeparator: ", ", keySeparator: ": "))
                    return try template.render(messagesJSON: Data(json.utf8), addGenerationPrompt: c.generation_prompt,
                                               bosToken: goldens.bos_token, eosToken: goldens.eos_token,
                                               extra: ["tools": conversation.tools], now: now)
                }
                let label = "\(template.name) [\(c.conversation), add_generation_prompt=\(c.generation_prompt)]"
                var ok = false
                switch (outcome, expected[i], c.error) {
                case let (.success(actual), want?, _):
                    ok = actual == want
                    if !ok && Self.knownExceptions[template.name] == nil {
                        XCTFail("\(label): rendered text differs\n--- swift ---\n\(actual)\n--- jinja2 ---\n\(want)")
                    }
                case let (.failure(error), _, failure?):
                    if failure.type == "TemplateError" {
                        // raise_exception: the template's own message must come through unchanged.
                        ok = (error as? JinjaError) == .raised(message: failure.message)
                    } else {
                        ok = error is JinjaError
                    }
                    if !ok && Self.knownExceptions[template.name] == nil {
                        XCTFail("\(label): expected \(failure.type) '\(failure.message)', got \(error)")
                    }
                case let (.success(actual), nil, failure):
                    if Self.knownExceptions[template.name] == nil {
                        XCTFail("\(label): expected \(failure?.type ?? "an error"), but rendered:\n\(actual)")
                    }
                case let (.failure(error), _, nil):
                    if Self.knownExceptions[template.name] == nil {
                        XCTFail("\(label): jinja2 rendered it, Swift threw \(error)")
                    }
                }
                if ok { passed += 1 } else { templateFailures += 1 }
            }
            if templateFailures > 0 { failing[template.name] = templateFailures }
        }
        print("chat template goldens: \(passed)/\(total) cases pass across \(goldens.templates.count) templates")
        if !failing.isEmpty { print("failing templates: \(failing.sorted { $0.key < $1.key })") }
        XCTAssertGreaterThanOrEqual(goldens.templates.count, 71, "the goldens should cover every llama.cpp template plus SmolLM2")
        for name in Self.knownExceptions.keys {
            XCTAssertNotNil(failing[name], "\(name) is listed as a known exception but passes now: remove it from the list")
        }
    }

    func testLlama31GoldenFromSharedReferences() throws {
        guard let url = TestPaths.sharedReference("llama31-chat-golden.json") else {
            throw XCTSkip("shared/references/llama31-chat-golden.json is not present")
        }
        struct Reference: Decodable {
            struct ChatCase: Decodable {
                var messages: [ChatMessage]
                var add_generation_prompt: Bool
                var rendered: String
            }
            var chat_cases: [ChatCase]
        }
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        let template = try ChatTemplate(String(contentsOf: TestPaths.asset("llama.cpp/models/templates/meta-llama-Llama-3.1-8B-Instruct.jinja"), encoding: .utf8))
        XCTAssertEqual(reference.chat_cases.count, 3)
        for c in reference.chat_cases {
            let rendered = try template.render(messages: c.messages, addGenerationPrompt: c.add_generation_prompt,
                                               bosToken: "<|begin_of_text|>", eosToken: "<|eot_id|>",
                                               extra: ["date_string": "26 Jul 2024"])
            XCTAssertEqual(rendered, c.rendered)
        }
    }

    func testSmolLM2FixtureRendersChatML() throws {
        let source = try String(contentsOf: TestPaths.fixture("chat-templates/SmolLM2-135M-Instruct.jinja"), encoding: .utf8)
        let template = try ChatTemplate(source)
        let rendered = try template.render(messages: [ChatMessage(role: "user", content: "Hi")], addGenerationPrompt: true)
        XCTAssertEqual(rendered, "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
            + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    }
}
