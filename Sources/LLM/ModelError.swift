/// A model that cannot be loaded or run, with what to do about it.
public enum ModelError: Error, CustomStringConvertible {
    case unsupportedArchitecture(String, path: String)
    case badHyperparameter(key: String, value: String, path: String)
    case missingTensor(String, path: String)
    case wrongShape(tensor: String, expected: String, found: String, path: String)
    case unsupportedFormat(tensor: String, format: String, path: String)
    case contextOverflow(needed: Int, limit: Int)
    case invalidToken(Int32, vocabularySize: Int)
    case emptyPrompt
    case noTokenizer(folder: String)

    public var description: String {
        switch self {
        case .unsupportedArchitecture(let name, let path):
            "\(path): architecture '\(name)' is not supported; supported: \(LlamaConfiguration.supportedArchitectures.sorted().joined(separator: ", "))"
        case .badHyperparameter(let key, let value, let path):
            "\(path): hyperparameter \(key) has an unusable value (\(value))"
        case .missingTensor(let name, let path):
            "\(path) lacks the tensor '\(name)'"
        case .wrongShape(let tensor, let expected, let found, let path):
            "\(path): tensor '\(tensor)' has shape \(found), expected \(expected)"
        case .unsupportedFormat(let tensor, let format, let path):
            "\(path): tensor '\(tensor)' is stored as \(format), which the engine cannot compute with"
        case .contextOverflow(let needed, let limit):
            "the sequence needs \(needed) positions but the context holds \(limit); shorten the prompt, lower --max-tokens, or raise --ctx"
        case .invalidToken(let id, let size):
            "token id \(id) is outside the vocabulary of \(size) tokens"
        case .emptyPrompt:
            "the prompt is empty: there is nothing to continue from"
        case .noTokenizer(let folder):
            "\(folder) has neither tokenizer.json nor tokenizer.model; copy the model's tokenizer files into it"
        }
    }
}
