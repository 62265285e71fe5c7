import Foundation
import ModelFiles
import TensorNumerics
import Tokenizers

/// A BERT checkpoint in Hugging Face layout with its tokenizer: turns texts into hidden states,
/// sentence embeddings (mean pooling + L2, as sentence-transformers' MiniLM) or pooled outputs.
public final class BertEncoder: @unchecked Sendable {
    /// The network.
    public let model: BertModel
    /// The WordPiece tokenizer from tokenizer.json (preferred) or vocab.txt.
    public let tokenizer: WordPieceTokenizer
    /// Inputs are truncated to this many tokens, `[CLS]`/`[SEP]` included.
    public let maxLength: Int
    /// The folder it was loaded from.
    public let folder: URL

    /// Loads `folder`: config.json, model.safetensors, tokenizer.json or vocab.txt. The maximum
    /// length is the smallest of `maxLength`, sentence-transformers' `max_seq_length`
    /// (sentence_bert_config.json), tokenizer_config.json's `model_max_length` and the position table.
    public init(folder: URL, threads: Int = 2, maxLength: Int? = nil) throws {
        self.folder = folder
        let configuration = try BertConfiguration(contentsOf: folder.appendingPathComponent("config.json"))
        let weights = folder.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weights.path) else { throw EncoderError.missingFile(path: weights.path) }
        tokenizer = try Self.loadTokenizer(folder)
        model = try BertModel(configuration: configuration, weights: SafetensorsFile(path: weights.path), threads: threads)
        // Fewer tokenizer tokens than embedding rows is fine (tables padded to a multiple of 8);
        // more would index past the table.
        guard tokenizer.vocabulary.count <= configuration.vocabularySize else {
            throw EncoderError.vocabularySizeMismatch(tokenizer: tokenizer.vocabulary.count, embeddings: configuration.vocabularySize)
        }
        var limit = configuration.maxPositions
        if let maxLength { limit = min(limit, maxLength) }
        for (file, key) in [("sentence_bert_config.json", "max_seq_length"), ("tokenizer_config.json", "model_max_length")] {
            if let data = try? Data(contentsOf: folder.appendingPathComponent(file)),
               let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let value = (json[key] as? NSNumber)?.intValue, value > 0 {
                limit = min(limit, value)
            }
        }
        self.maxLength = limit
    }

    static func loadTokenizer(_ folder: URL) throws -> WordPieceTokenizer {
        let json = folder.appendingPathComponent("tokenizer.json")
        if FileManager.default.fileExists(atPath: json.path) { return try WordPieceTokenizer(tokenizerJSON: json) }
        let vocab = folder.appendingPathComponent("vocab.txt")
        guard FileManager.default.fileExists(atPath: vocab.path) else { throw EncoderError.missingFile(path: vocab.path) }
        var lowercase = true
        if let data = try? Data(contentsOf: folder.appendingPathComponent("tokenizer_config.json")),
           let config = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let flag = config["do_lower_case"] as? Bool {
            lowercase = flag
        }
        return try WordPieceTokenizer(vocabTxt: vocab, lowercase: lowercase)
    }

    /// The configuration.
    public var configuration: BertConfiguration { model.configuration }

    /// Tokenizes texts (optionally paired) with `[CLS]`/`[SEP]` and truncation at `maxLength`.
    public func encode(_ texts: [String], pairs: [String?]? = nil) -> [WordPieceSequence] {
        texts.enumerated().map { n, text in
            tokenizer.encode(text, pair: pairs?[n] ?? nil, maxLength: maxLength)
        }
    }

    /// Runs `sequences` through the model `batchSize` at a time, calling `body` with each batch's
    /// index range and hidden states.
    func forEachBatch(_ sequences: [WordPieceSequence], batchSize: Int, _ body: (Range<Int>, [[Float]]) -> Void) {
        var start = 0
        while start < sequences.count {
            let end = min(sequences.count, start + max(1, batchSize))
            body(start..<end, model.hiddenStates(Array(sequences[start..<end])))
            start = end
        }
    }

    /// Sentence embeddings: the mean of every token's last hidden state (`[CLS]` and `[SEP]`
    /// included, as sentence-transformers averages over the attention mask), L2-normalised when
    /// `normalize` holds.
    public func sentenceEmbeddings(_ texts: [String], batchSize: Int = 32, normalize: Bool = true) -> [[Float]] {
        let h = configuration.hiddenSize
        var result: [[Float]] = []
        result.reserveCapacity(texts.count)
        forEachBatch(encode(texts), batchSize: batchSize) { _, states in
            for s in states {
                let tokens = s.count / h
                var mean = [Float](repeating: 0, count: h)
                for t in 0..<tokens { for j in 0..<h { mean[j] += s[t * h + j] } }
                let inv = 1 / Float(max(tokens, 1))
                for j in 0..<h { mean[j] *= inv }
                if normalize {
                    let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    // sentence-transformers clamps the norm at 1e-12 (torch.nn.functional.normalize).
                    let scale = 1 / max(norm, 1e-12)
                    for j in 0..<h { mean[j] *= scale }
                }
                result.append(mean)
            }
        }
        return result
    }
}
