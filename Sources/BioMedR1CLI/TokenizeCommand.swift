import ArgumentParser
import Foundation
import LLM
import Tokenizers

/// `biomed-r1 tokenize`: token ids or a chat rendering, for debugging prompts.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of a text as a JSON array, or render a chat with the model's template.")

    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "Recognise special tokens such as <|im_start|> in the text.")
    var special = false

    @Flag(name: .customLong("no-bos"), help: "Do not add BOS even if the vocabulary asks for it.")
    var noBOS = false

    @Option(name: .customLong("render-chat"), help: "A JSON file with an array of {role, content} messages: print the chat template's rendering.")
    var renderChat: String?

    @Flag(name: .customLong("no-generation-prompt"), help: "With --render-chat: do not open an assistant turn at the end.")
    var noGenerationPrompt = false

    @Argument(help: "The text to tokenize.")
    var text: String?

    func validate() throws {
        guard (renderChat == nil) != (text == nil) else {
            throw ValidationError("give either a TEXT to tokenize or --render-chat MESSAGES.json")
        }
    }

    func run() throws {
        let lm = try modelOptions.load()
        if let renderChat {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: renderChat))
            } catch {
                throw ValidationError("cannot read \(renderChat): \(error.localizedDescription)")
            }
            let messages: [ChatMessage]
            do {
                messages = try JSONDecoder().decode([ChatMessage].self, from: data)
            } catch {
                throw ValidationError("\(renderChat) is not a JSON array of {\"role\", \"content\"} messages: \(error)")
            }
            Terminal.out(try lm.renderChat(messages, addGenerationPrompt: !noGenerationPrompt))
            return
        }
        var ids = lm.tokenizer.encode(text ?? "", addSpecial: false, parseSpecial: special)
        if !noBOS, lm.tokenizer.addBOS, let bos = lm.tokenizer.bosID { ids.insert(bos, at: 0) }
        Terminal.out("[" + ids.map(String.init).joined(separator: ", ") + "]\n")
    }
}
