import Foundation
import NIOCore
import LLM

extension APIHandlers {
    /// `POST /v1/completions`.
    func completions(_ request: ServerRequest) async throws -> ServerResponse {
        let body = try decode(CompletionRequest.self, from: request)
        try body.validate(contextLimit: contextLimit)
        let prompts = body.prompts.map { prompt -> [Int32] in
            switch prompt {
            case .text(let text): model.encodePrompt(text)
            case .tokens(let ids): ids
            }
        }
        // Echo returns each prompt as the model saw it; token-id prompts are decoded.
        let promptTexts = zip(body.prompts, prompts).map { prompt, ids -> String in
            if case .text(let text) = prompt { return text }
            return model.tokenizer.decode(ids, special: true)
        }
        let n = body.options.n
        let submission = try ChoiceSubmission(
            engine: engine, prompts: prompts, n: n, contextLimit: contextLimit, options: body.options,
            base: baseSampling, topLogprobs: body.logprobs, promptLogprobs: body.echo ? body.logprobs : nil,
            retryAfter: configuration.retryAfterSeconds, promptField: "prompt")
        let id = Self.responseID("cmpl-"), created = Self.now
        if body.options.stream {
            return streamCompletions(submission, body: body, promptTexts: promptTexts, id: id, created: created,
                                     disconnect: request.disconnect)
        }
        let outputs = try await ChoiceOutput.collect(submission, disconnect: request.disconnect)
        let choices = outputs.enumerated().map { index, output in
            let p = index / n
            let echoed = body.echo ? promptTexts[p] : ""
            var logprobs: CompletionLogprobs?
            if body.logprobs != nil {
                var l = CompletionLogprobs()
                if body.echo { appendPrompt(output.prompt ?? [], to: &l) }
                appendGenerated(output.tokens, to: &l, offset: echoed.count)
                logprobs = l
            }
            return CompletionResponse.Choice(index: index, text: echoed + (output.result?.text ?? ""), logprobs: Nullable(logprobs),
                                             finishReason: Nullable(output.finishReason))
        }
        let usage = Usage(promptTokens: submission.promptTokens,
                          completionTokens: outputs.reduce(0) { $0 + ($1.result?.tokens.count ?? $1.tokens.count) })
        return try ServerResponse.json(CompletionResponse(id: id, created: created, model: modelID, choices: choices, usage: Nullable(usage)))
    }

    /// Echoed prompt tokens with their log probabilities and alternatives given the tokens before them (the
    /// first has none, as in OpenAI's and vLLM's answers).
    private func appendPrompt(_ tokens: [PromptTokenLogprob], to logprobs: inout CompletionLogprobs) {
        var offset = 0
        for token in tokens {
            offset = append(token.id, logprob: token.logprob, alternatives: token.logprob == nil ? nil : token.topLogprobs,
                            to: &logprobs, offset: offset)
        }
    }

    /// Generated tokens with their log probabilities and alternatives; offsets count from `offset`.
    private func appendGenerated(_ tokens: [GeneratedToken], to logprobs: inout CompletionLogprobs, offset: Int) {
        var offset = offset
        for token in tokens {
            offset = append(token.id, logprob: token.logprob, alternatives: token.topLogprobs, to: &logprobs, offset: offset)
        }
    }

    /// One token's entry at character `offset`; returns the offset after its text.
    private func append(_ id: Int32, logprob: Float?, alternatives: [TokenLogprob]?, to logprobs: inout CompletionLogprobs,
                        offset: Int) -> Int {
        let text = tokenText(id).text
        logprobs.tokens.append(text)
        logprobs.tokenLogprobs.append(logprob)
        logprobs.topLogprobs.append(alternatives.map { alternatives in
            var top: [String: Float] = [:]
            for alternative in alternatives {
                // Two ids can share a text; keep the likelier.
                let key = tokenText(alternative.id).text
                top[key] = max(top[key] ?? -.infinity, alternative.logprob)
            }
            return top
        })
        logprobs.textOffset.append(offset)
        return offset + text.count
    }

    private func streamCompletions(_ submission: ChoiceSubmission, body: CompletionRequest, promptTexts: [String],
                                   id: String, created: Int, disconnect: DisconnectWatch) -> ServerResponse {
        let modelID = modelID, retryAfter = configuration.retryAfterSeconds
        let n = body.options.n, includeUsage = body.options.includeUsage, wantsLogprobs = body.logprobs != nil
        return ServerSentEvents.response(disconnect: disconnect) { out in
            func chunk(_ choices: [CompletionResponse.Choice], usage: Usage? = nil) -> ByteBuffer {
                ServerSentEvents.event(CompletionResponse(
                    id: id, created: created, model: modelID, choices: choices, usage: includeUsage ? Nullable(usage) : nil))
            }
            // Echo goes first; with logprobs, once the engine has scored the prompt.
            if body.echo && !wantsLogprobs {
                for index in 0..<submission.choiceCount {
                    out.yield(chunk([.init(index: index, text: promptTexts[index / n], logprobs: .init(nil), finishReason: .init(nil))]))
                }
            }
            var completionTokens = 0
            var streamedCharacters = Array(repeating: 0, count: submission.choiceCount)
            do {
                for try await choice in submission.events {
                    switch choice.event {
                    case .prompt(let scores):
                        var l = CompletionLogprobs()
                        appendPrompt(scores, to: &l)
                        out.yield(chunk([.init(index: choice.index, text: promptTexts[choice.index / n], logprobs: .init(l),
                                               finishReason: .init(nil))]))
                    case .token(let token):
                        guard !token.text.isEmpty || wantsLogprobs else { continue }
                        var logprobs: CompletionLogprobs?
                        if wantsLogprobs {
                            var l = CompletionLogprobs()
                            let offset = (body.echo ? promptTexts[choice.index / n].count : 0) + streamedCharacters[choice.index]
                            appendGenerated([token], to: &l, offset: offset)
                            logprobs = l
                        }
                        streamedCharacters[choice.index] += token.text.count
                        out.yield(chunk([.init(index: choice.index, text: token.text, logprobs: .init(logprobs), finishReason: .init(nil))]))
                    case .finished(let result):
                        // The engine's token texts add up to the result's text: nothing is left to send.
                        completionTokens += result.tokens.count
                        out.yield(chunk([.init(index: choice.index, text: "", logprobs: .init(nil),
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
