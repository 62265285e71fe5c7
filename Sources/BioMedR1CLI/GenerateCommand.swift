import ArgumentParser
import Foundation
import LLM
import Tokenizers

/// `biomed-r1 generate`: one answer, streamed.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Answer one prompt, streaming the text as it is generated.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sampling: SamplingOptions

    @Option(help: "A system prompt (default: the chat template's own).")
    var system: String?

    @Flag(help: "Send the prompt as plain text, without the chat template.")
    var raw = false

    @Argument(help: "The prompt.")
    var prompt: String

    func run() throws {
        let lm = try modelOptions.load()
        let text: String
        if raw {
            text = prompt
        } else {
            var messages: [ChatMessage] = []
            if let system { messages.append(ChatMessage(role: "system", content: system)) }
            messages.append(ChatMessage(role: "user", content: prompt))
            text = try lm.renderChat(messages)
        }
        let session = GenerationSession(languageModel: lm, contextLimit: modelOptions.ctx)
        let result = try session.generate(
            prompt: lm.encodePrompt(text), maxTokens: sampling.maxTokens, sampling: sampling.parameters(recommended: lm.recommendedSampling),
            stop: sampling.stops
        ) { piece in
            Terminal.out(piece)
            return true
        }
        Terminal.out("\n")
        Terminal.error(Terminal.timings(prompt: result.promptTokens, prefillRate: result.prefillRate,
                                        generated: result.tokens.count, decodeRate: result.decodeRate))
    }
}
