/// Why a WordPiece vocabulary cannot be turned into a tokenizer.
public enum WordPieceError: Error, CustomStringConvertible, Equatable {
    /// The vocabulary has no tokens.
    case emptyVocabulary
    /// A token the tokenizer needs (`[UNK]`, `[CLS]`, `[SEP]`, `[PAD]`) is not in the vocabulary.
    case missingSpecialToken(String)
    /// The file could not be read or parsed.
    case unreadable(path: String, reason: String)
    /// tokenizer.json describes a model other than WordPiece.
    case notWordPiece(path: String, type: String)
    /// A GGUF vocabulary is not a BERT (`tokenizer.ggml.model` `bert`) one.
    case notBertGGUF(model: String)

    /// What is wrong and what to do about it.
    public var description: String {
        switch self {
        case .emptyVocabulary:
            return "the WordPiece vocabulary has no tokens; vocab.txt must list one token per line"
        case .missingSpecialToken(let token):
            return "the WordPiece vocabulary lacks the special token '\(token)'; a BERT vocabulary (vocab.txt of an uncased BERT) has [PAD], [UNK], [CLS] and [SEP]"
        case .unreadable(let path, let reason):
            return "cannot read the WordPiece vocabulary at \(path): \(reason)"
        case .notWordPiece(let path, let type):
            return "\(path) describes a '\(type)' tokenizer, not WordPiece; pass a BERT tokenizer.json or vocab.txt"
        case .notBertGGUF(let model):
            return "the GGUF vocabulary is '\(model)', not a BERT WordPiece one ('bert')"
        }
    }
}
