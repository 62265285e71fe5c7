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
        try self.init(vocabulary: TokenizerJSON(path: path), bosToken: bosToken, eosToken: eosToken)
    }

    /// A tokenizer from a `tokenizer.json` (or `tokenizer.model`) vocabulary already read; see
    /// `init(tokenizerJSON:bosToken:eosToken:)`.
    public convenience init(vocabulary file: TokenizerJSON, bosToken: String? = nil, eosToken: String? = nil) throws {
        let bos = file.bosID ?? bosToken.flatMap(file.id(of:))
        try self.init(tokens: file.tokens, tokenTypes: file.tokenTypes, merges: file.merges, preTokenizer: file.preTokenizer,
                      special: SpecialTokenIDs(bos: bos, eos: eosToken.flatMap(file.id(of:))), addBOS: file.addBOS, addEOS: false,
                      ignoreMerges: file.ignoreMerges)
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
