/// Why text could not be generated.
public enum GenerationError: Error, CustomStringConvertible {
    case noChatTemplate(model: String)

    public var description: String {
        switch self {
        case .noChatTemplate(let model):
            "\(model) has no chat template (tokenizer.chat_template); use --raw to send the prompt as plain text"
        }
    }
}
