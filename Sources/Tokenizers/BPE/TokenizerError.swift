/// Why a vocabulary cannot be turned into a tokenizer.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// The file's `tokenizer.ggml.model` is not a byte-level BPE (`gpt2`).
    case unsupportedModel(type: String)
    /// A metadata key that a byte-level BPE vocabulary needs is absent.
    case missingMetadata(key: String)
    /// The vocabulary has no tokens.
    case emptyVocabulary
    /// There are fewer token types than tokens.
    case tokenTypeCountMismatch(tokens: Int, tokenTypes: Int)
    /// Two tokens have the same text.
    case duplicateToken(text: String, firstID: Int, secondID: Int)
    /// A merge is not two token texts separated by a space.
    case malformedMerge(rank: Int, merge: String)
    /// A merge names a token that is not in the vocabulary.
    case mergeNamesUnknownToken(rank: Int, merge: String, token: String)
    /// A merge produces a token that is not in the vocabulary.
    case mergeResultNotInVocabulary(rank: Int, merge: String)
    /// A special token id given to the initializer lies outside the vocabulary.
    case specialTokenOutOfRange(name: String, id: Int32, vocabularySize: Int)

    /// What is wrong and what to do about it.
    public var description: String {
        switch self {
        case .unsupportedModel(let type):
            if type == "llama" {
                return "this is a SentencePiece ('llama', SPM) vocabulary; SPM vocabularies are not supported yet: use a model with a byte-level BPE ('gpt2') tokenizer such as Llama 3, Qwen or SmolLM"
            }
            return "tokenizer model '\(type)' is not supported: only byte-level BPE vocabularies (tokenizer.ggml.model 'gpt2') can be used"
        case .missingMetadata(let key):
            return "the vocabulary lacks '\(key)'; the GGUF file was not converted with a tokenizer (convert it again with a current llama.cpp)"
        case .emptyVocabulary:
            return "the vocabulary has no tokens"
        case .tokenTypeCountMismatch(let tokens, let tokenTypes):
            return "the vocabulary has \(tokens) tokens but only \(tokenTypes) token types; the file is corrupt"
        case .duplicateToken(let text, let first, let second):
            return "tokens \(first) and \(second) both have the text '\(text)'; a vocabulary must not repeat a token"
        case .malformedMerge(let rank, let merge):
            return "merge \(rank) '\(merge)' is not two tokens separated by a space; the merges list is corrupt"
        case .mergeNamesUnknownToken(let rank, let merge, let token):
            return "merge \(rank) '\(merge)' names '\(token)', which is not in the vocabulary; the merges do not belong to these tokens"
        case .mergeResultNotInVocabulary(let rank, let merge):
            return "merge \(rank) '\(merge)' makes a token that is not in the vocabulary; the merges do not belong to these tokens"
        case .specialTokenOutOfRange(let name, let id, let size):
            return "the \(name) token id \(id) is outside the vocabulary of \(size) tokens"
        }
    }
}
