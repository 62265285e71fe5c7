/// Why a BERT checkpoint cannot be loaded or used.
public enum EncoderError: Error, CustomStringConvertible, Equatable {
    /// A file the folder must hold is absent.
    case missingFile(path: String)
    /// config.json is unreadable or lacks a field.
    case invalidConfiguration(path: String, reason: String)
    /// The checkpoint lacks a tensor the architecture needs.
    case missingTensor(name: String, file: String)
    /// A tensor's shape differs from what config.json implies.
    case wrongShape(name: String, expected: [Int], found: [Int])
    /// A tensor is stored in a dtype the encoder cannot read.
    case unsupportedDType(name: String, dtype: String)
    /// A classifier's config.json has no `id2label`, so its outputs cannot be named.
    case missingLabels(path: String)
    /// The tokenizer's vocabulary and the word embeddings disagree in size.
    case vocabularySizeMismatch(tokenizer: Int, embeddings: Int)
    /// The activation named in config.json is not implemented.
    case unsupportedActivation(String)
    /// A classification head file is unreadable or does not fit the encoder.
    case invalidHead(path: String, reason: String)

    /// What is wrong and what to do about it.
    public var description: String {
        switch self {
        case .missingFile(let path):
            return "\(path) is missing; a BERT folder in Hugging Face layout needs config.json, model.safetensors and vocab.txt or tokenizer.json"
        case .invalidConfiguration(let path, let reason):
            return "\(path) is not a usable BERT config.json: \(reason)"
        case .missingTensor(let name, let file):
            return "\(file) has no tensor '\(name)'; the checkpoint is incomplete or not a BERT model (re-save it with transformers' save_pretrained)"
        case .wrongShape(let name, let expected, let found):
            return "tensor '\(name)' has shape \(found) but config.json implies \(expected); the weights and config.json belong to different models"
        case .unsupportedDType(let name, let dtype):
            return "tensor '\(name)' is \(dtype); only F32, F16 and BF16 BERT weights can be read"
        case .missingLabels(let path):
            return "\(path) has no id2label; a sequence classifier needs its label names (add \"id2label\": {\"0\": \"…\", …})"
        case .vocabularySizeMismatch(let tokenizer, let embeddings):
            return "the tokenizer has \(tokenizer) tokens but the word embeddings have \(embeddings) rows; vocab.txt/tokenizer.json belong to another model"
        case .unsupportedActivation(let name):
            return "hidden_act '\(name)' is not supported; BERT checkpoints use 'gelu' (exact)"
        case .invalidHead(let path, let reason):
            return "the classification head \(path) cannot be used: \(reason)"
        }
    }
}
