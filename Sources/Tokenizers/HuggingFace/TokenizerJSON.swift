import Foundation

/// The byte-level BPE parts of a Hugging Face `tokenizer.json`, as `BPETokenizer` and the GGUF
/// converter both need them.
public struct TokenizerJSON: Sendable {
    /// Token texts (byte-level form) by id, added tokens included.
    public var tokens: [String]
    /// GGUF token types by id: 1 normal, 3 control (special added tokens), 4 user-defined (other added tokens).
    public var tokenTypes: [Int]
    /// `"left right"` merges, best first.
    public var merges: [String]
    /// The pre-tokenizer that the file's pre_tokenizer describes.
    public var preTokenizer: PreTokenizer
    /// The BOS that a `TemplateProcessing` post-processor adds, if any.
    public var bosID: Int32?
    /// Whether the post-processor adds BOS.
    public var addBOS: Bool
    /// The BPE model's `ignore_merges`.
    public var ignoreMerges: Bool

    /// llama.cpp's `tokenizer.ggml.pre` name for the pre-tokenizer.
    public var ggufPreTokenizerName: String { preTokenizer == .llama3 ? "llama-bpe" : "gpt2" }

    /// The id of the token whose text is `text`.
    public func id(of text: String) -> Int32? { tokens.firstIndex(of: text).map(Int32.init) }

    /// A vocabulary given part by part (e.g. converted from a tiktoken `tokenizer.model`).
    public init(tokens: [String], tokenTypes: [Int], merges: [String], preTokenizer: PreTokenizer, bosID: Int32?,
                addBOS: Bool, ignoreMerges: Bool) {
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.preTokenizer = preTokenizer
        self.bosID = bosID
        self.addBOS = addBOS
        self.ignoreMerges = ignoreMerges
    }

    /// Reads the `tokenizer.json` at `path`.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TokenizerJSONError.unreadable(path: path, reason: "the file cannot be read")
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw TokenizerJSONError.unreadable(path: path, reason: "not a JSON object")
        }
        guard let model = root["model"] as? [String: Any] else {
            throw TokenizerJSONError.unreadable(path: path, reason: "no 'model'")
        }
        let type = model["type"] as? String ?? "BPE"
        guard type == "BPE" else { throw TokenizerJSONError.unsupported(path: path, part: "model type", found: type) }
        guard let vocab = model["vocab"] as? [String: Any] else {
            throw TokenizerJSONError.unreadable(path: path, reason: "no 'model.vocab'")
        }
        var byID: [Int: String] = [:]
        var types: [Int: Int] = [:]
        for (text, value) in vocab {
            guard let id = (value as? NSNumber)?.intValue, id >= 0 else {
                throw TokenizerJSONError.badVocabulary(path: path, reason: "token '\(text)' has no integer id")
            }
            if let other = byID[id] { throw TokenizerJSONError.badVocabulary(path: path, reason: "id \(id) is both '\(other)' and '\(text)'") }
            byID[id] = text
            types[id] = 1
        }
        for entry in root["added_tokens"] as? [[String: Any]] ?? [] {
            guard let id = (entry["id"] as? NSNumber)?.intValue, id >= 0, let content = entry["content"] as? String else {
                throw TokenizerJSONError.badVocabulary(path: path, reason: "an added token lacks its id or content")
            }
            if let other = byID[id], other != content {
                throw TokenizerJSONError.badVocabulary(path: path, reason: "added token \(id) '\(content)' collides with '\(other)'")
            }
            byID[id] = content
            types[id] = (entry["special"] as? Bool ?? false) ? 3 : 4
        }
        let count = (byID.keys.max() ?? -1) + 1
        guard byID.count == count else {
            throw TokenizerJSONError.badVocabulary(path: path, reason: "ids are not contiguous: \(byID.count) tokens up to id \(count - 1)")
        }
        tokens = (0..<count).map { byID[$0]! }
        tokenTypes = (0..<count).map { types[$0]! }

        if let strings = model["merges"] as? [String] {
            merges = strings
        } else if let pairs = model["merges"] as? [[String]] {
            merges = pairs.map { $0.joined(separator: " ") }
        } else {
            merges = []
        }

        preTokenizer = try BPETokenizer.preTokenizer(root["pre_tokenizer"], path: path)
        bosID = nil
        addBOS = false
        if let post = root["post_processor"] as? [String: Any] {
            let processors = (post["type"] as? String) == "Sequence" ? post["processors"] as? [[String: Any]] ?? [] : [post]
            for processor in processors where processor["type"] as? String == "TemplateProcessing" {
                if let first = (processor["single"] as? [[String: Any]])?.first,
                   let special = first["SpecialToken"] as? [String: Any], let text = special["id"] as? String,
                   let id = tokens.firstIndex(of: text) {
                    bosID = Int32(id)
                    addBOS = true
                }
            }
        }
        ignoreMerges = model["ignore_merges"] as? Bool ?? false
    }
}
