/// A `tokenizer.json` that cannot become a byte-level BPE tokenizer, naming the file and the part at fault.
public enum TokenizerJSONError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case unsupported(path: String, part: String, found: String)
    case badVocabulary(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "\(path) is not a usable tokenizer.json: \(reason)"
        case .unsupported(let path, let part, let found):
            "\(path): \(part) '\(found)' is not supported; only byte-level BPE tokenizers (GPT-2, Llama 3 style) are"
        case .badVocabulary(let path, let reason):
            "\(path): the vocabulary is inconsistent: \(reason)"
        }
    }
}
