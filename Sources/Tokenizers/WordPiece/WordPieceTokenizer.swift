import Foundation
import ModelFiles

/// BERT's WordPiece tokenizer, matching Hugging Face `tokenizers` (BertNormalizer,
/// BertPreTokenizer, WordPiece model, `[CLS] A [SEP] (B [SEP])` template, longest-first
/// truncation).
public struct WordPieceTokenizer: Sendable {
    /// Token texts by id; continuation pieces carry the `##` prefix, as in vocab.txt.
    public let vocabulary: [String]
    /// Text normalisation applied before splitting into words.
    public var normalizer: BertNormalizer
    /// Words longer than this many code points become a single `[UNK]`.
    public var maxInputCharsPerWord: Int
    /// The prefix of a piece that continues a word.
    public let continuingSubwordPrefix: String
    /// `[UNK]`.
    public let unknownID: Int32
    /// `[CLS]`, which opens every encoded sequence.
    public let classID: Int32
    /// `[SEP]`, which closes each segment.
    public let separatorID: Int32
    /// `[PAD]`, which fills batched sequences.
    public let paddingID: Int32
    /// Special tokens recognised verbatim in the raw text before normalisation (like the
    /// `added_tokens` of tokenizer.json), longest first.
    public let specialTokens: [String]

    let ids: [String: Int32]

    /// Builds a tokenizer over `vocabulary` (ids are positions).
    public init(vocabulary: [String], normalizer: BertNormalizer = BertNormalizer(),
                maxInputCharsPerWord: Int = 100, continuingSubwordPrefix: String = "##",
                unknownToken: String = "[UNK]", classToken: String = "[CLS]",
                separatorToken: String = "[SEP]", paddingToken: String = "[PAD]",
                maskToken: String = "[MASK]") throws {
        guard !vocabulary.isEmpty else { throw WordPieceError.emptyVocabulary }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(vocabulary.count)
        // A repeated token keeps its last id, as `tokenizers` and transformers read vocab.txt.
        for (i, token) in vocabulary.enumerated() { ids[token] = Int32(i) }
        func id(_ token: String) throws -> Int32 {
            guard let id = ids[token] else { throw WordPieceError.missingSpecialToken(token) }
            return id
        }
        self.vocabulary = vocabulary
        self.ids = ids
        self.normalizer = normalizer
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.continuingSubwordPrefix = continuingSubwordPrefix
        unknownID = try id(unknownToken)
        classID = try id(classToken)
        separatorID = try id(separatorToken)
        paddingID = try id(paddingToken)
        specialTokens = [unknownToken, classToken, separatorToken, paddingToken, maskToken]
            .filter { ids[$0] != nil }.sorted { $0.count > $1.count }
    }

    /// Reads a vocab.txt (one token per line, id = line number).
    public init(vocabTxt url: URL, lowercase: Bool = true) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw WordPieceError.unreadable(path: url.path, reason: "\(error)")
        }
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        try self.init(vocabulary: lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 },
                      normalizer: BertNormalizer(lowercase: lowercase))
    }

    /// Reads a Hugging Face tokenizer.json whose model is WordPiece (normaliser settings included).
    public init(tokenizerJSON url: URL) throws {
        let root: [String: Any]
        do {
            let data = try Data(contentsOf: url)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw WordPieceError.unreadable(path: url.path, reason: "not a JSON object")
            }
            root = object
        } catch let error as WordPieceError { throw error } catch {
            throw WordPieceError.unreadable(path: url.path, reason: "\(error)")
        }
        guard let model = root["model"] as? [String: Any], let vocab = model["vocab"] as? [String: Any] else {
            throw WordPieceError.unreadable(path: url.path, reason: "no model.vocab")
        }
        let type = model["type"] as? String ?? "?"
        guard type == "WordPiece" else { throw WordPieceError.notWordPiece(path: url.path, type: type) }
        var tokens = [String](repeating: "", count: vocab.count)
        for (token, value) in vocab {
            guard let id = (value as? NSNumber)?.intValue, id >= 0, id < tokens.count else {
                throw WordPieceError.unreadable(path: url.path, reason: "vocabulary ids are not 0..<\(vocab.count)")
            }
            tokens[id] = token
        }
        var normalizer = BertNormalizer()
        if let n = root["normalizer"] as? [String: Any], n["type"] as? String == "BertNormalizer" {
            normalizer.lowercase = n["lowercase"] as? Bool ?? true
            normalizer.stripAccents = n["strip_accents"] as? Bool
            normalizer.handleChineseChars = n["handle_chinese_chars"] as? Bool ?? true
            normalizer.cleanText = n["clean_text"] as? Bool ?? true
        }
        try self.init(vocabulary: tokens, normalizer: normalizer,
                      maxInputCharsPerWord: model["max_input_chars_per_word"] as? Int ?? 100,
                      continuingSubwordPrefix: model["continuing_subword_prefix"] as? String ?? "##",
                      unknownToken: model["unk_token"] as? String ?? "[UNK]")
    }

    /// Reads the vocabulary of a BERT GGUF (`tokenizer.ggml.model` `bert`). llama.cpp's converter
    /// writes word-initial pieces with a leading `▁` and continuation pieces bare; this undoes it.
    public init(gguf: GGUFFile) throws {
        let model = try gguf.string("tokenizer.ggml.model") ?? ""
        guard model == "bert" else { throw WordPieceError.notBertGGUF(model: model) }
        guard let tokens = try gguf.strings("tokenizer.ggml.tokens") else { throw WordPieceError.emptyVocabulary }
        let vocabulary = tokens.map { token -> String in
            if token.hasPrefix("[") && token.hasSuffix("]") { return token }
            if token.hasPrefix("\u{2581}") { return String(token.dropFirst()) }
            return "##" + token
        }
        try self.init(vocabulary: vocabulary)
    }

    /// The id of a token text, if it is in the vocabulary.
    public func id(of token: String) -> Int32? { ids[token] }

    /// The words of `text` after normalisation: split at whitespace (dropped) and around each
    /// punctuation character (kept as its own word).
    public func words(_ text: Substring) -> [String] {
        let scalars = normalizer.normalize(text)
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() }
        }
        for s in scalars {
            if s.properties.isWhitespace {
                flush()
            } else if Self.isPunctuation(s) {
                flush()
                words.append(String(s))
            } else {
                current.append(s)
            }
        }
        flush()
        return words
    }

    /// ASCII punctuation (which includes `$+<=>^`|~`) or any Unicode `P*` category, as BERT splits.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 {
            return (v >= 33 && v <= 47) || (v >= 58 && v <= 64) || (v >= 91 && v <= 96) || (v >= 123 && v <= 126)
        }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The pieces of one word, greedy longest-match-first; the whole word is `[UNK]` when it is
    /// too long or any part of it matches nothing.
    public func pieces(of word: String, into out: inout [Int32]) {
        let scalars = Array(word.unicodeScalars)
        if scalars.count > maxInputCharsPerWord {
            out.append(unknownID)
            return
        }
        let mark = out.count
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int32?
            while start < end {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[start..<end])
                let piece = start > 0 ? continuingSubwordPrefix + String(view) : String(view)
                if let id = ids[piece] { found = id; break }
                end -= 1
            }
            guard let id = found else {
                out.removeSubrange(mark...)
                out.append(unknownID)
                return
            }
            out.append(id)
            start = end
        }
    }

    /// The ids of `text` without special tokens around it. Special-token texts (`[CLS]`, …)
    /// in the raw text become their ids, as in `tokenizers` with `split_special_tokens` off.
    public func tokenize(_ text: String) -> [Int32] {
        var out: [Int32] = []
        var rest = text[...]
        while !rest.isEmpty {
            var earliest: (range: Range<String.Index>, token: String)?
            if rest.contains("[") {
                for token in specialTokens {
                    if let r = rest.range(of: token), earliest == nil || r.lowerBound < earliest!.range.lowerBound {
                        earliest = (r, token)
                    }
                }
            }
            let segment = earliest.map { rest[..<$0.range.lowerBound] } ?? rest
            for word in words(segment) { pieces(of: word, into: &out) }
            guard let special = earliest else { break }
            out.append(ids[special.token]!)
            rest = rest[special.range.upperBound...]
        }
        return out
    }

    /// Encodes a text, or a pair, as BERT takes it: `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`
    /// with segments 0 and 1. With `maxLength`, the longer text is shortened one token at a time
    /// until the whole, specials included, fits (Hugging Face's `longest_first`).
    public func encode(_ text: String, pair: String? = nil, addSpecialTokens: Bool = true, maxLength: Int? = nil) -> WordPieceEncoding {
        var a = tokenize(text)
        var b = pair.map(tokenize)
        if let maxLength {
            let specials = addSpecialTokens ? (b == nil ? 2 : 3) : 0
            let budget = max(0, maxLength - specials)
            if var second = b, a.count + second.count > budget {
                // `tokenizers`' arithmetic: the shorter keeps its length when the longer can
                // absorb the cut; otherwise both get half, the longer (or the second, on a tie)
                // the odd token.
                let swapped = a.count > second.count
                var n1 = min(a.count, second.count), n2 = max(a.count, second.count)
                n2 = n1 > budget ? n1 : max(n1, budget - n1)
                if n1 + n2 > budget { n1 = budget / 2; n2 = n1 + budget % 2 }
                if swapped { swap(&n1, &n2) }
                a.removeSubrange(min(n1, a.count)...)
                second.removeSubrange(min(n2, second.count)...)
                b = second
            } else if a.count > budget {
                a.removeSubrange(budget...)
            }
        }
        var ids: [Int32] = []
        var types: [Int32] = []
        if addSpecialTokens { ids.append(classID) }
        ids += a
        if addSpecialTokens { ids.append(separatorID) }
        types = [Int32](repeating: 0, count: ids.count)
        if let b {
            ids += b
            if addSpecialTokens { ids.append(separatorID) }
            types += [Int32](repeating: 1, count: ids.count - types.count)
        }
        return WordPieceEncoding(ids: ids, typeIDs: types)
    }
}
