import Foundation

/// A message of a chat.
public struct ChatMessage: Sendable, Codable, Equatable {
    /// Who speaks: `system`, `user`, `assistant`, `tool`, ...
    public var role: String
    /// What they say.
    public var content: String

    /// A message from `role` with `content`.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// A chat template (Jinja source) parsed once, rendered many times.
///
/// Rendering follows Hugging Face transformers' `apply_chat_template`: jinja2's
/// `ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)` with loop controls, the
/// `raise_exception` and `strftime_now` globals and a `tojson` filter that does not escape HTML.
public struct ChatTemplate: Sendable {
    /// The Jinja source the template was parsed from.
    public let source: String
    private let body: [JinjaStatement]
    private let sourceMap: JinjaSourceMap

    /// Parses `source`; syntax errors, and unknown filters or tests outside `if` blocks (as jinja2 reports
    /// them when compiling), throw a `JinjaError` naming the line and column.
    public init(_ source: String) throws {
        self.source = source
        let scalars = JinjaLexer.normalize(source)
        var lexer = JinjaLexer(scalars: scalars)
        let tokens = try lexer.tokenize()
        sourceMap = JinjaSourceMap(scalars: scalars)
        var parser = JinjaParser(tokens: tokens, sourceMap: sourceMap)
        body = try parser.parseTemplate()
    }

    /// Renders as transformers' `apply_chat_template` does: the context holds `messages`, `tools` and
    /// `documents` (both `None`), `add_generation_prompt`, `bos_token`, `eos_token`, then `extra`.
    ///
    /// - Parameter now: the time `strftime_now` reports (local time zone); pass a fixed date for reproducible output.
    public func render(messages: [ChatMessage], addGenerationPrompt: Bool, bosToken: String = "", eosToken: String = "",
                       extra: [String: JinjaValue] = [:], now: Date = Date()) throws -> String {
        let values = messages.map { JinjaValue.object(JinjaObject([("role", .string($0.role)), ("content", .string($0.content))])) }
        return try render(messageValues: values, addGenerationPrompt: addGenerationPrompt, bosToken: bosToken,
                          eosToken: eosToken, extra: extra, now: now)
    }

    /// Renders messages given as a JSON array of objects (as in `messages.json`), so messages can carry
    /// extra fields such as `tool_calls`; key order is kept, as Python's `json.load` keeps it.
    public func render(messagesJSON: Data, addGenerationPrompt: Bool, bosToken: String = "", eosToken: String = "",
                       extra: [String: JinjaValue] = [:], now: Date = Date()) throws -> String {
        guard case let .array(values) = try JinjaValue(json: messagesJSON) else {
            throw JinjaError.invalidContext(message: "messages JSON must be an array of message objects")
        }
        return try render(messageValues: values, addGenerationPrompt: addGenerationPrompt, bosToken: bosToken,
                          eosToken: eosToken, extra: extra, now: now)
    }

    /// Renders with an arbitrary context: every key becomes a template variable.
    ///
    /// - Parameter now: the time `strftime_now` reports (local time zone).
    public func render(context: [String: JinjaValue], now: Date = Date()) throws -> String {
        try JinjaInterpreter(sourceMap: sourceMap, now: now).render(body, context: context)
    }

    private func render(messageValues: [JinjaValue], addGenerationPrompt: Bool, bosToken: String, eosToken: String,
                        extra: [String: JinjaValue], now: Date) throws -> String {
        var context: [String: JinjaValue] = [
            "messages": .array(messageValues),
            "tools": .none,
            "documents": .none,
            "add_generation_prompt": .bool(addGenerationPrompt),
            "bos_token": .string(bosToken),
            "eos_token": .string(eosToken),
        ]
        for (k, v) in extra { context[k] = v }
        return try render(context: context, now: now)
    }
}
