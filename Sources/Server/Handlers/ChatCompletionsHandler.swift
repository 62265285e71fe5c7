import Foundation
import NIOCore
import LLM
import Tokenizers

extension APIHandlers {
    /// `POST /v1/chat/completions`.
    func chatCompletions(_ request: ServerRequest) async throws -> ServerResponse {
        let body = try decode(ChatCompletionRequest.self, from: request)
        try body.validate(contextLimit: contextLimit)
        let prompt = model.encodePrompt(try renderPrompt(body.messages, continuingFinalMessage: body.continuesFinalMessage))
        let submission = try ChoiceSubmission(
            engine: engine, prompts: [prompt], n: body.options.n, contextLimit: contextLimit, options: body.options,
            base: baseSampling, topLogprobs: body.engineTopLogprobs, retryAfter: configuration.retryAfterSeconds,
            promptField: "messages")
        let id = Self.responseID("chatcmpl-"), created = Self.now
        if body.options.stream {
            return streamChat(submission, id: id, created: created, logprobs: body.logprobs,
                              includeUsage: body.options.includeUsage, disconnect: request.disconnect)
        }
        let outputs = try await ChoiceOutput.collect(submission, disconnect: request.disconnect)
        let choices = outputs.enumerated().map { index, output in
            ChatCompletionResponse.Choice(
                index: index, message: .init(content: output.result?.text ?? ""),
                logprobs: Nullable(body.logprobs ? ChatLogprobs(content: output.tokens.compactMap(chatLogprob)) : nil),
                finishReason: output.finishReason)
        }
        let usage = Usage(promptTokens: submission.promptTokens,
                          completionTokens: outputs.reduce(0) { $0 + ($1.result?.tokens.count ?? $1.tokens.count) })
        return try ServerResponse.json(ChatCompletionResponse(id: id, created: created, model: modelID, choices: choices, usage: usage))
    }

    /// The text the model continues: the chat template's rendering, ending with the generation
    /// prompt, or — when the final assistant message is continued — cut right after that message.
    func renderPrompt(_ requestMessages: [ChatRequestMessage], continuingFinalMessage: Bool) throws -> String {
        guard let template = model.chatTemplate else {
            throw APIError.invalidRequest("\(modelID) has no chat template; send the prompt text to /v1/completions instead", param: "messages")
        }
        var messages = requestMessages.map(\.chatMessage)
        let tokenizer = model.tokenizer
        let bos = tokenizer.bosID.flatMap { tokenizer.text(of: $0) } ?? ""
        let eos = tokenizer.eosID.flatMap { tokenizer.text(of: $0) } ?? ""
        do {
            if continuingFinalMessage {
                if let text = try template.renderContinuingFinalMessage(messages, bosToken: bos, eosToken: eos) {
                    return text
                }
                // An empty final assistant message: its turn simply starts.
                messages.removeLast()
            }
            return try template.render(messages: messages, addGenerationPrompt: true, bosToken: bos, eosToken: eos)
        } catch let error as JinjaError {
            throw APIError.invalidRequest("The chat template cannot render these messages: \(error)", param: "messages")
        }
    }

    /// One token's entry of chat's logprobs, if the engine scored it.
    func chatLogprob(_ token: GeneratedToken) -> ChatLogprobs.Entry? {
        guard let logprob = token.logprob else { return nil }
        let (text, bytes) = tokenText(token.id)
        let alternatives = token.topLogprobs.map { alternative in
            let (text, bytes) = tokenText(alternative.id)
            return ChatLogprobs.Alternative(token: text, logprob: alternative.logprob, bytes: bytes)
        }
        return ChatLogprobs.Entry(token: text, logprob: logprob, bytes: bytes, topLogprobs: alternatives)
    }

    private func streamChat(_ submission: ChoiceSubmission, id: String, created: Int, logprobs: Bool, includeUsage: Bool,
                            disconnect: DisconnectWatch) -> ServerResponse {
        let modelID = modelID, retryAfter = configuration.retryAfterSeconds
        return ServerSentEvents.response(disconnect: disconnect) { out in
            func chunk(_ choices: [ChatCompletionChunk.Choice], usage: Usage? = nil) -> ByteBuffer {
                ServerSentEvents.event(ChatCompletionChunk(
                    id: id, created: created, model: modelID, choices: choices, usage: includeUsage ? Nullable(usage) : nil))
            }
            for index in 0..<submission.choiceCount {
                out.yield(chunk([.init(index: index, delta: .init(role: "assistant", content: ""), logprobs: .init(nil), finishReason: .init(nil))]))
            }
            var completionTokens = 0
            do {
                for try await choice in submission.events {
                    switch choice.event {
                    case .prompt:
                        continue
                    case .token(let token):
                        // Held-back text comes later; with logprobs every token still gets its entry.
                        guard !token.text.isEmpty || logprobs else { continue }
                        let entry = logprobs ? chatLogprob(token).map { ChatLogprobs(content: [$0]) } : nil
                        out.yield(chunk([.init(index: choice.index, delta: .init(content: token.text), logprobs: .init(entry), finishReason: .init(nil))]))
                    case .finished(let result):
                        // The engine's token texts add up to the result's text: nothing is left to send.
                        completionTokens += result.tokens.count
                        out.yield(chunk([.init(index: choice.index, delta: .init(), logprobs: .init(nil),
                                               finishReason: .init(ChoiceOutput.finishReason(result)))]))
                    }
                }
                if includeUsage {
                    out.yield(chunk([], usage: Usage(promptTokens: submission.promptTokens, completionTokens: completionTokens)))
                }
            } catch {
                out.yield(ServerSentEvents.error(APIError.from(engine: error, retryAfter: retryAfter)))
            }
            out.yield(ServerSentEvents.done)
        }
    }
}
