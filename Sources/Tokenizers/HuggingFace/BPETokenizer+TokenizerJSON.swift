import Foundation

extension BPETokenizer {
    /// The Split regex of Llama 3's `tokenizer.json`, which our `.llama3` pre-tokenizer implements.
    static let llama3SplitPattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// Reads a Hugging Face `tokenizer.json` holding a byte-level BPE model.
    ///
    /// Added tokens become control tokens when `special` and user-defined otherwise (as llama.cpp's
    /// converter types them); a `TemplateProcessing` post-processor that starts with a special
    /// token makes that token BOS and turns `addBOS` on. `bosToken` and `eosToken` (from
    /// tokenizer_config.json) name BOS, when no post-processor does, and EOS.
    public convenience init(tokenizerJSON path: String, bosToken: String? = nil, eosToken: String? = nil) throws {
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
        let tokens = (0..<count).map { byID[$0]! }
        let tokenTypes = (0..<count).map { types[$0]! }

        let merges: [String]
        if let strings = model["merges"] as? [String] {
            merges = strings
        } else if let pairs = model["merges"] as? [[String]] {
            merges = pairs.map { $0.joined(separator: " ") }
        } else {
            merges = []
        }

        let preTokenizer = try Self.preTokenizer(root["pre_tokenizer"], path: path)
        var bos: Int32?
        var addBOS = false
        if let post = root["post_processor"] as? [String: Any] {
            let processors = (post["type"] as? String) == "Sequence" ? post["processors"] as? [[String: Any]] ?? [] : [post]
            for processor in processors where processor["type"] as? String == "TemplateProcessing" {
                if let first = (processor["single"] as? [[String: Any]])?.first,
                   let special = first["SpecialToken"] as? [String: Any], let text = special["id"] as? String,
                   let id = tokens.firstIndex(of: text) {
                    bos = Int32(id)
                    addBOS = true
                }
            }
        }
        if bos == nil { bos = bosToken.flatMap { tokens.firstIndex(of: $0) }.map(Int32.init) }
        let eos = eosToken.flatMap { tokens.firstIndex(of: $0) }.map(Int32.init)
        try self.init(tokens: tokens, tokenTypes: tokenTypes, merges: merges, preTokenizer: preTokenizer,
                      special: SpecialTokenIDs(bos: bos, eos: eos), addBOS: addBOS, addEOS: false,
                      ignoreMerges: model["ignore_merges"] as? Bool ?? false)
    }

    /// The pre-tokenizer that a `tokenizer.json` pre_tokenizer describes: Llama 3's Split regex
    /// followed by ByteLevel without its own regex, or GPT-2's ByteLevel with its regex.
    static func preTokenizer(_ value: Any?, path: String) throws -> PreTokenizer {
        guard let object = value as? [String: Any] else {
            throw TokenizerJSONError.unsupported(path: path, part: "pre_tokenizer", found: "null")
        }
        let steps = (object["type"] as? String) == "Sequence" ? object["pretokenizers"] as? [[String: Any]] ?? [] : [object]
        let kinds = steps.map { $0["type"] as? String ?? "?" }
        if kinds == ["Split", "ByteLevel"],
           let pattern = (steps[0]["pattern"] as? [String: Any])?["Regex"] as? String,
           pattern == llama3SplitPattern, steps[1]["use_regex"] as? Bool == false {
            return .llama3
        }
        if kinds == ["ByteLevel"], steps[0]["use_regex"] as? Bool ?? true {
            return .gpt2
        }
        let described = steps.map { step in
            let pattern = (step["pattern"] as? [String: Any])?["Regex"] as? String
            return (step["type"] as? String ?? "?") + (pattern.map { "(\($0))" } ?? "")
        }.joined(separator: " + ")
        throw TokenizerJSONError.unsupported(path: path, part: "pre_tokenizer", found: described)
    }
}
