import ArgumentParser
import Foundation
import LLM
import Tokenizers

/// `biomed-r1 chat`: an interactive conversation that keeps the KV cache between turns.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk with the model; /reset starts over, /exit or Ctrl-D quits.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sampling: SamplingOptions

    @Option(help: "A system prompt (default: the chat template's own).")
    var system: String?

    func run() throws {
        let lm = try modelOptions.load()
        let session = GenerationSession(languageModel: lm, contextLimit: modelOptions.ctx)
        let interactive = isatty(fileno(stdin)) != 0
        var messages: [ChatMessage] = system.map { [ChatMessage(role: "system", content: $0)] } ?? []
        let base = messages
        if interactive { Terminal.error("\(lm.name) — /reset to start over, /exit or Ctrl-D to quit") }
        var parameters = sampling.parameters(recommended: lm.recommendedSampling)
        while true {
            if interactive { Terminal.out("> ") }
            guard let line = readLine(strippingNewline: true) else { break }
            let input = line.trimmingCharacters(in: .whitespaces)
            if input.isEmpty { continue }
            if input == "/exit" || input == "/quit" { break }
            if input == "/reset" {
                messages = base
                session.reset()
                Terminal.error("(conversation reset)")
                continue
            }
            messages.append(ChatMessage(role: "user", content: input))
            let prompt = lm.encodePrompt(try lm.renderChat(messages))
            let result = try session.generate(
                prompt: prompt, maxTokens: sampling.maxTokens, sampling: parameters, stop: sampling.stops
            ) { piece in
                Terminal.out(piece)
                return true
            }
            Terminal.out("\n")
            messages.append(ChatMessage(role: "assistant", content: result.text))
            // A new seed per turn keeps turns from replaying one random stream, yet stays reproducible.
            parameters.seed &+= 1
            Terminal.error(Terminal.timings(prompt: result.prefillTokens, prefillRate: result.prefillRate,
                                            generated: result.tokens.count, decodeRate: result.decodeRate)
                           + " (\(result.promptTokens - result.prefillTokens) cached)")
        }
    }
}
