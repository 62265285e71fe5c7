import Foundation
import ModelFiles

/// Byte-level BPE as GPT-2, Llama 3 and SmolLM use it, built from a GGUF vocabulary, giving the
/// same token ids as llama.cpp's `llama_tokenize`.
///
/// Text is cut at special tokens, pre-tokenized into words by the vocabulary's
/// ``PreTokenizer``, and each word's bytes are merged pairwise, lowest merge rank first. Tokens and
/// merges are held as ids in flat tables, so encoding allocates a few scratch arrays per call and
/// nothing per word.
public final class BPETokenizer: Sendable {
    /// The pre-tokenizer that cuts text into words.
    public let preTokenizer: PreTokenizer
    /// Beginning-of-sequence token, if any.
    public let bosID: Int32?
    /// End-of-sequence token, if any.
    public let eosID: Int32?
    /// Whether `encode(_:addSpecial: true, …)` starts with ``bosID``.
    public let addBOS: Bool
    /// Whether `encode(_:addSpecial: true, …)` ends with ``eosID``.
    public let addEOS: Bool
    /// The special token ids, after llama.cpp's detection of end-of-turn and FIM tokens by text.
    public let specialIDs: SpecialTokenIDs
    /// Ids that end generation: eos, eot, eom, FIM pad/repo/separator, and every token whose text
    /// llama.cpp treats as end-of-generation (`<|im_end|>`, `<|eot_id|>`, `<|endoftext|>`, …).
    public let endOfGenerationIDs: Set<Int32>

    let texts: TokenTextIndex
    private let tokens: [String]
    private let attributes: [TokenAttributes]
    /// What each token prints as with `special: true`, concatenated; see ``bytes(of:special:)``.
    private let pieceBytes: [UInt8]
    private let pieceOffsets: [Int32]
    let merges: MergeTable
    /// The token of each single byte, -1 where the vocabulary lacks it.
    let byteTokens: [Int32]
    let stages: [SplitStage]
    /// Look a whole word up before merging (llama.cpp's `ignore_merges`).
    let ignoreMerges: Bool
    let specialTokens: SpecialTokenMatcher

    /// The number of tokens.
    public var vocabularySize: Int { tokens.count }

    // MARK: Loading

    /// Reads the byte-level BPE vocabulary of a GGUF file (`tokenizer.ggml.model` `gpt2`): tokens,
    /// token types, merges, pre-tokenizer and special tokens, with llama.cpp's defaults where the
    /// file is silent.
    public convenience init(gguf: GGUFFile) throws {
        guard let model = try gguf.string("tokenizer.ggml.model") else {
            throw TokenizerError.missingMetadata(key: "tokenizer.ggml.model")
        }
        guard model == "gpt2" else { throw TokenizerError.unsupportedModel(type: model) }
        guard let tokens = try gguf.strings("tokenizer.ggml.tokens") else {
            throw TokenizerError.missingMetadata(key: "tokenizer.ggml.tokens")
        }
        guard let merges = try gguf.strings("tokenizer.ggml.merges") else {
            throw TokenizerError.missingMetadata(key: "tokenizer.ggml.merges")
        }
        let types = try gguf.ints("tokenizer.ggml.token_type") ?? []
        let pre = try gguf.string("tokenizer.ggml.pre") ?? ""
        let n = tokens.count

        // llama.cpp's defaults for a gpt2 vocabulary (bos = eos = 11, the rest none), replaced by
        // the file's ids when those lie inside the vocabulary.
        func id(_ key: String, default value: Int32?) throws -> Int32? {
            let fallback = value.flatMap { Int($0) < n ? $0 : nil }
            guard let v = try gguf.int("tokenizer.ggml.\(key)") else { return fallback }
            return v >= 0 && v < n ? Int32(v) : fallback
        }
        let special = SpecialTokenIDs(
            bos: try id("bos_token_id", default: 11),
            eos: try id("eos_token_id", default: 11),
            eot: try id("eot_token_id", default: nil),
            eom: try id("eom_token_id", default: nil),
            unknown: try id("unknown_token_id", default: nil),
            padding: try id("padding_token_id", default: nil),
            fimPad: try id("fim_pad_token_id", default: nil),
            fimRepo: try id("fim_rep_token_id", default: nil),
            fimSeparator: try id("fim_sep_token_id", default: nil))
        try self.init(
            tokens: tokens, tokenTypes: types, merges: merges,
            preTokenizer: PreTokenizer(ggufName: pre),
            special: special,
            addBOS: try gguf.bool("tokenizer.ggml.add_bos_token") ?? PreTokenizer.addsBOSByDefault(ggufName: pre),
            addEOS: try gguf.bool("tokenizer.ggml.add_eos_token") ?? false,
            ignoreMerges: PreTokenizer.ignoresMerges(ggufName: pre))
    }

    /// Builds a tokenizer from a vocabulary given directly (as a Hugging Face `tokenizer.json`
    /// holds it).
    ///
    /// - Parameters:
    ///   - tokens: token texts in byte-level form (`Ġthe`), by id.
    ///   - tokenTypes: GGUF token types by id (1 normal, 3 control, 4 user-defined, …); empty means
    ///     all normal.
    ///   - merges: `"left right"` pairs, best first.
    ///   - ignoreMerges: look whole words up before merging; nil takes the pre-tokenizer's default
    ///     (true for Llama 3).
    public init(
        tokens: [String], tokenTypes: [Int], merges: [String], preTokenizer: PreTokenizer,
        special: SpecialTokenIDs = SpecialTokenIDs(), addBOS: Bool = false, addEOS: Bool = false,
        ignoreMerges: Bool? = nil
    ) throws {
        guard !tokens.isEmpty else { throw TokenizerError.emptyVocabulary }
        guard tokenTypes.isEmpty || tokenTypes.count >= tokens.count else {
            throw TokenizerError.tokenTypeCountMismatch(tokens: tokens.count, tokenTypes: tokenTypes.count)
        }
        let n = tokens.count
        for (name, value) in [("bos", special.bos), ("eos", special.eos), ("eot", special.eot), ("eom", special.eom),
                              ("unknown", special.unknown), ("padding", special.padding), ("fim pad", special.fimPad),
                              ("fim repo", special.fimRepo), ("fim separator", special.fimSeparator)] {
            if let v = value, v < 0 || Int(v) >= n {
                throw TokenizerError.specialTokenOutOfRange(name: name, id: v, vocabularySize: n)
            }
        }
        // llama.cpp names empty tokens so that they stay unique and can never match.
        let tokens = tokens.enumerated().map { $0.element.isEmpty ? "[EMPTY_\($0.offset)]" : $0.element }
        let texts = try TokenTextIndex(texts: tokens)
        var attributes = tokenTypes.isEmpty
            ? [TokenAttributes](repeating: .normal, count: n)
            : tokenTypes.prefix(n).map(TokenAttributes.init(tokenType:))

        let (resolved, endOfGeneration) = Self.detectSpecialTokens(tokens: tokens, texts: texts, given: special, attributes: &attributes)

        var byteTokens = [Int32](repeating: -1, count: 256)
        for b in 0..<256 {
            var utf8 = ByteLevelEncoding.utf8ForByte[b]
            byteTokens[b] = utf8.withUnsafeMutableBufferPointer { texts.lookup(UnsafeBufferPointer($0)) } ?? -1
        }

        let parsed = try Self.parseMerges(merges, texts: texts)

        var pieceBytes: [UInt8] = []
        pieceBytes.reserveCapacity(texts.bytes.count)
        var pieceOffsets: [Int32] = [0]
        pieceOffsets.reserveCapacity(n + 1)
        for id in 0..<n {
            Self.appendPiece(of: tokens[id], attributes: attributes[id], to: &pieceBytes)
            pieceOffsets.append(Int32(pieceBytes.count))
        }

        var specials: [(id: Int32, text: ArraySlice<UInt8>, onlyWhenParsingSpecial: Bool)] = []
        for id in 0..<n where !attributes[id].isDisjoint(with: [.control, .userDefined, .unknown]) {
            specials.append((Int32(id), texts.text(of: id), !attributes[id].isDisjoint(with: [.control, .unknown])))
        }

        // Build the character table now rather than in the first `encode`.
        _ = CodepointCategory.basicPlane.count

        self.preTokenizer = preTokenizer
        self.stages = preTokenizer.stages
        self.ignoreMerges = ignoreMerges ?? (preTokenizer == .llama3)
        self.tokens = tokens
        self.texts = texts
        self.attributes = attributes
        self.pieceBytes = pieceBytes
        self.pieceOffsets = pieceOffsets
        self.merges = MergeTable(merges: parsed)
        self.byteTokens = byteTokens
        self.specialTokens = SpecialTokenMatcher(tokens: specials)
        self.specialIDs = resolved
        self.bosID = resolved.bos
        self.eosID = resolved.eos
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.endOfGenerationIDs = endOfGeneration
    }

    /// Resolves each `"left right"` merge to the ids of its two tokens and of their concatenation.
    /// Hundreds of thousands of hash lookups dominate loading, so chunks run in parallel.
    private static func parseMerges(_ merges: [String], texts: TokenTextIndex) throws -> [(left: Int32, right: Int32, result: Int32)] {
        var parsed = [(left: Int32, right: Int32, result: Int32)](repeating: (-1, -1, -1), count: merges.count)
        let chunkSize = 8192
        let chunks = (merges.count + chunkSize - 1) / chunkSize
        // The first failing rank of each chunk; the lowest overall is reported.
        var failures = [(rank: Int, error: TokenizerError)?](repeating: nil, count: chunks)
        parsed.withUnsafeMutableBufferPointer { parsed in
            failures.withUnsafeMutableBufferPointer { failures in
                let out = parsed.baseAddress!, failed = failures.baseAddress!
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for rank in chunk * chunkSize..<min(merges.count, (chunk + 1) * chunkSize) {
                        do {
                            out[rank] = try parseMerge(merges[rank], rank: rank, texts: texts)
                        } catch {
                            failed[chunk] = (rank, error as! TokenizerError)
                            return
                        }
                    }
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).min(by: { $0.rank < $1.rank }) { throw failure.error }
        return parsed
    }

    private static func parseMerge(_ merge: String, rank: Int, texts: TokenTextIndex) throws -> (left: Int32, right: Int32, result: Int32) {
        var utf8 = merge
        let triple: (Int32, Int32, Int32)? = utf8.withUTF8 { m in
            // The separator is the first space after the first byte, as in llama.cpp, so a
            // vocabulary whose tokens may start with a raw space still splits correctly.
            guard m.count >= 3, let space = m[1...].firstIndex(of: 0x20) else { return nil }
            let left = UnsafeBufferPointer(rebasing: m[..<space])
            let right = UnsafeBufferPointer(rebasing: m[(space + 1)...])
            return (texts.lookup(left) ?? -1, texts.lookup(right) ?? -1, texts.lookup(left, right) ?? -1)
        }
        guard let (l, r, result) = triple else { throw TokenizerError.malformedMerge(rank: rank, merge: merge) }
        if l < 0 || r < 0 {
            let parts = merge.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            let unknown = l < 0 ? String(parts[0]) : String(parts.count > 1 ? parts[1] : "")
            throw TokenizerError.mergeNamesUnknownToken(rank: rank, merge: merge, token: unknown)
        }
        if result < 0 { throw TokenizerError.mergeResultNotInVocabulary(rank: rank, merge: merge) }
        return (l, r, result)
    }

    /// llama.cpp's detection of special tokens by their text (llama-vocab.cpp, `load`): FIM
    /// pad/repo/separator and end-of-turn tokens when the vocabulary does not name them, the
    /// end-of-generation set, and the control attribute forced onto tokens that end generation.
    private static func detectSpecialTokens(
        tokens: [String], texts: TokenTextIndex, given: SpecialTokenIDs, attributes: inout [TokenAttributes]
    ) -> (SpecialTokenIDs, Set<Int32>) {
        var special = given
        // When several texts of one list are present, llama.cpp's pick depends on hash order;
        // the lowest id is the deterministic choice.
        func find(_ candidates: [String], forceControl: Bool = true) -> Int32? {
            let ids = candidates.compactMap { texts.lookup($0) }
            guard let id = ids.min() else { return nil }
            if forceControl { attributes[Int(id)].insert(.control) }
            return id
        }
        if special.eot == nil {
            special.eot = find(["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>",
                                "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>"])
        }
        if special.eom == nil { special.eom = find(["<|eom_id|>"]) }
        if special.fimPad == nil { special.fimPad = find(["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"]) }
        if special.fimRepo == nil {
            special.fimRepo = find(["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"])
        }
        if special.fimSeparator == nil { special.fimSeparator = find(["<|file_sep|>"]) }

        var endOfGeneration = Set<Int32>()
        for id in [special.fimPad, special.fimRepo, special.fimSeparator] { if let id { endOfGeneration.insert(id) } }
        for text in ["<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
                     "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
                     "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
                     "<｜end▁of▁sentence｜>", "[e~["] {
            if let id = texts.lookup(text) {
                endOfGeneration.insert(id)
                attributes[Int(id)].insert(.control)
            }
        }
        // gpt-oss's channel markers are always printed.
        for text in ["<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"] {
            if let id = texts.lookup(text) { attributes[Int(id)] = .userDefined }
        }
        for id in [special.eos, special.eot, special.eom] { if let id { endOfGeneration.insert(id) } }

        // o200k_harmony and solar-open use <|end|> between messages, not to stop.
        func has(_ text: String) -> Bool { texts.lookup(text).map(endOfGeneration.contains) ?? false }
        if let end = texts.lookup("<|end|>"), endOfGeneration.contains(end),
           (has("<|return|>") && (has("<|call|>") || has("<|calls|>"))) || ((has("<|call|>") || has("<|calls|>")) && has("<|flush|>")) {
            endOfGeneration.remove(end)
            attributes[Int(end)] = .userDefined
        }
        // Gemma 4 and PLaMo use </s> as an ordinary token.
        if let s = texts.lookup("</s>"), endOfGeneration.contains(s), has("<|tool_response>") || has("<|plamo:eos|>") {
            endOfGeneration.remove(s)
            attributes[Int(s)] = .normal
        }
        return (special, endOfGeneration)
    }

    /// What a token prints as with `special: true` (llama.cpp's `token_to_piece`): the byte-level
    /// decoding of a normal token, the literal text of a control, unknown or user-defined token,
    /// the byte of a `<0xXX>` byte token, and nothing for unused or undefined ones.
    private static func appendPiece(of text: String, attributes: TokenAttributes, to out: inout [UInt8]) {
        if !attributes.isDisjoint(with: [.control, .unknown, .userDefined]) {
            out.append(contentsOf: text.utf8)
        } else if attributes.contains(.normal) {
            for scalar in text.unicodeScalars {
                if let b = ByteLevelEncoding.byte(for: scalar) {
                    out.append(b)
                } else {
                    // Outside the byte alphabet (a hand-added token): its text is the best rendering.
                    out.append(contentsOf: String(scalar).utf8)
                }
            }
        } else if attributes.contains(.byte) {
            let utf8 = Array(text.utf8)
            if utf8.count == 6, utf8.starts(with: Array("<0x".utf8)), let b = UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16) {
                out.append(b)
            }
        }
    }

    // MARK: Encoding

    /// Encodes text like llama.cpp's `llama_tokenize(text, add_special, parse_special)`.
    ///
    /// - Parameters:
    ///   - addSpecial: add BOS/EOS as the vocabulary asks (``addBOS``, ``addEOS``).
    ///   - parseSpecial: turn control tokens written in the text (`<|im_start|>`) into their ids;
    ///     otherwise they are encoded as plain text. User-defined tokens are always recognized.
    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32] {
        var output: [Int32] = []
        output.reserveCapacity(text.utf8.count / 3 + 4)
        if addSpecial, addBOS, let bos = bosID { output.append(bos) }
        var text = text
        text.withUTF8 { bytes in
            var encoder = WordEncoder(tokenizer: self)
            for fragment in specialTokens.partition(bytes, parseSpecial: parseSpecial) {
                switch fragment {
                case .token(let id):
                    output.append(id)
                case .text(let range):
                    encoder.encode(UnsafeBufferPointer(rebasing: bytes[range]), into: &output)
                }
            }
        }
        if addSpecial, addEOS, let eos = eosID { output.append(eos) }
        return output
    }

    // MARK: Decoding

    /// The bytes that a token prints as: byte-level decoded for normal tokens; the literal text of
    /// control and unknown tokens only when `special`, of user-defined tokens always.
    public func bytes(of id: Int32, special: Bool) -> [UInt8] {
        guard id >= 0, Int(id) < tokens.count else { return [] }
        if !special && !attributes[Int(id)].isDisjoint(with: [.control, .unknown]) { return [] }
        return Array(pieceBytes[Int(pieceOffsets[Int(id)])..<Int(pieceOffsets[Int(id) + 1])])
    }

    /// Appends the bytes of `id` to `out` without allocating.
    func appendBytes(of id: Int32, special: Bool, to out: inout [UInt8]) {
        guard id >= 0, Int(id) < tokens.count else { return }
        if !special && !attributes[Int(id)].isDisjoint(with: [.control, .unknown]) { return }
        out.append(contentsOf: pieceBytes[Int(pieceOffsets[Int(id)])..<Int(pieceOffsets[Int(id) + 1])])
    }

    /// The text of a sequence of tokens: their bytes concatenated (as llama.cpp prints them one by
    /// one, without the optional clean-up of spaces before punctuation), decoded as UTF-8 with
    /// invalid sequences replaced by U+FFFD.
    public func decode(_ ids: [Int32], special: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 6)
        for id in ids { appendBytes(of: id, special: special, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Vocabulary

    /// Whether `id` is a control token (`<|im_start|>`, `<|eot_id|>`, …).
    public func isControl(_ id: Int32) -> Bool {
        id >= 0 && Int(id) < tokens.count && attributes[Int(id)].contains(.control)
    }

    /// The id of the token whose vocabulary text is `tokenText` (byte-level form: `Ġthe`).
    public func id(of tokenText: String) -> Int32? {
        texts.lookup(tokenText)
    }

    /// The vocabulary text of a token (byte-level form), or nil outside the vocabulary.
    public func text(of id: Int32) -> String? {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : nil
    }
}
