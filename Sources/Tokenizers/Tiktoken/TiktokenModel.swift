import Foundation

/// Meta's tiktoken-format `tokenizer.model` for Llama 3: one `base64(token bytes) rank` per line,
/// ranks 0..<n, followed by the special tokens Meta's `tokenizer.py` appends (256 for Llama 3).
///
/// Becomes the same byte-level BPE vocabulary as the `tokenizer.json` that transformers' converter
/// writes from it (`TikTokenConverter`): each token's text is its bytes in GPT-2's byte-to-unicode
/// form, and its merges are every split of it into two tokens, ordered by the merged token's rank,
/// then the ranks of the two halves. Merging lowest rank first is tiktoken's own algorithm, so the
/// ids equal tiktoken's and tokenizer.json's.
public struct TiktokenModel: Sendable {
    /// Token bytes by rank (= id).
    public let tokens: [[UInt8]]
    /// Special token texts for the ids after the ranks, in order.
    public let specialTokens: [String]

    /// Reads the `tokenizer.model` at `path`; `specialTokens` name the ids that follow the ranks
    /// (default: Llama 3.1's table).
    public init(path: String, specialTokens: [String] = TiktokenModel.llama31SpecialTokens) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw TiktokenError.unreadable(path: path)
        }
        var byRank: [[UInt8]?] = []
        byRank.reserveCapacity(130_000)
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.isEmpty { continue }
            let fields = line.split(separator: " ")
            guard fields.count == 2, let bytes = Data(base64Encoded: String(fields[0])), !bytes.isEmpty,
                  let rank = Int(fields[1]), rank >= 0, rank < 10_000_000 else {
                throw TiktokenError.badLine(path: path, line: lineNumber, text: String(line.prefix(80)))
            }
            if rank >= byRank.count { byRank.append(contentsOf: repeatElement(nil, count: rank + 1 - byRank.count)) }
            guard byRank[rank] == nil else { throw TiktokenError.duplicateRank(path: path, rank: rank, line: lineNumber) }
            byRank[rank] = [UInt8](bytes)
        }
        guard !byRank.isEmpty else { throw TiktokenError.unreadable(path: path) }
        if let missing = byRank.firstIndex(where: { $0 == nil }) { throw TiktokenError.missingRank(path: path, rank: missing) }
        tokens = byRank.map { $0! }
        var seen = Set<[UInt8]>()
        for (rank, token) in tokens.enumerated() where !seen.insert(token).inserted {
            throw TiktokenError.duplicateToken(path: path, rank: rank)
        }
        for b in 0...255 where !seen.contains([UInt8(b)]) {
            throw TiktokenError.missingByte(path: path, byte: UInt8(b))
        }
        self.specialTokens = specialTokens
    }

    /// Llama 3.1's special tokens, ids 128000...128255, as Meta's `tokenizer.py` lists them (and
    /// Llama-3.1's `tokenizer.json` has them): `<|begin_of_text|>` … `<|python_tag|>` (128010), then
    /// `<|reserved_special_token_3|>` onwards.
    public static let llama31SpecialTokens: [String] = {
        let named = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
                     "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>", "<|start_header_id|>", "<|end_header_id|>",
                     "<|eom_id|>", "<|eot_id|>", "<|python_tag|>"]
        return named + (0..<(256 - named.count)).map { "<|reserved_special_token_\($0 + 3)|>" }
    }()

    /// The special tokens that tokenizer_config.json's `added_tokens_decoder` (`{"128000": {"content": …}}`)
    /// gives for the ids from `firstID` on, when it gives a contiguous run of them; nil otherwise.
    public static func specialTokens(addedTokensDecoder value: Any?, firstID: Int) -> [String]? {
        guard let decoder = value as? [String: Any] else { return nil }
        var byID: [Int: String] = [:]
        for (key, entry) in decoder {
            if let id = Int(key), let content = (entry as? [String: Any])?["content"] as? String { byID[id] = content }
        }
        var names: [String] = []
        while let name = byID[firstID + names.count] { names.append(name) }
        return names.isEmpty ? nil : names
    }

    /// The vocabulary as `BPETokenizer` and the GGUF converter take it: byte-level token texts,
    /// types (1 normal, 3 control for the special tokens), merges, Llama 3's pre-tokenizer with
    /// `ignore_merges`, and BOS (`<|begin_of_text|>`, added as Meta's and transformers' Llama 3 do).
    public var vocabulary: TokenizerJSON {
        var rankOf: [[UInt8]: Int] = [:]
        rankOf.reserveCapacity(tokens.count)
        for (rank, token) in tokens.enumerated() { rankOf[token] = rank }
        var merges: [(merged: Int, left: Int, right: Int)] = []
        merges.reserveCapacity(tokens.count * 2)
        for (rank, token) in tokens.enumerated() where token.count > 1 {
            for cut in 1..<token.count {
                if let left = rankOf[Array(token[..<cut])], let right = rankOf[Array(token[cut...])] {
                    merges.append((rank, left, right))
                }
            }
        }
        merges.sort { ($0.merged, $0.left, $0.right) < ($1.merged, $1.left, $1.right) }
        let texts = tokens.map { ByteLevelEncoding.encode($0) }
        let bos = specialTokens.firstIndex(of: "<|begin_of_text|>").map { Int32(tokens.count + $0) }
        return TokenizerJSON(
            tokens: texts + specialTokens, tokenTypes: Array(repeating: 1, count: tokens.count) + Array(repeating: 3, count: specialTokens.count),
            merges: merges.map { texts[$0.left] + " " + texts[$0.right] }, preTokenizer: .llama3,
            bosID: bos, addBOS: bos != nil, ignoreMerges: true)
    }
}
