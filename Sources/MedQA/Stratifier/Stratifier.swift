import Encoder
import Foundation
import ModelFiles

/// Labels questions reasoning-heavy or knowledge-heavy, with either a frozen sentence encoder
/// plus a trained linear head (the embedded default: all-MiniLM-L6-v2 + the committed head) or
/// a Hugging Face BertForSequenceClassification (e.g. the paper's BioMedBERT classifier).
public final class Stratifier: @unchecked Sendable {
    enum Backend {
        case head(BertEncoder, LinearHead)
        case classifier(BertSequenceClassifier, reasoningIndex: Int)
    }

    let backend: Backend
    /// What labels the questions, for reports (`all-MiniLM-L6-v2 mean+L2 + linear head`, a classifier folder's name).
    public let name: String
    /// 8 hex digits that change with the weights: SHA-256 of the head's JSON, or of a classifier's
    /// config.json and the first and last MiB of its model.safetensors. Stored with every label, so a
    /// report can tell labels of a retrained head from the old ones.
    public let version: String

    /// `name, vVERSION`: how the store and reports name the labeller.
    public var labeller: String { "\(name), v\(version)" }

    /// A stratifier from an encoder and a head trained on its mean-pooled, L2-normalised embeddings.
    public init(encoder: BertEncoder, head: LinearHead) throws {
        guard head.dimension == encoder.configuration.hiddenSize else {
            throw StratifierError.headEncoderMismatch(head: head.encoder, encoder: encoder.folder.lastPathComponent)
        }
        _ = try Self.reasoningIndex(head.labels)
        backend = .head(encoder, head)
        name = "\(head.encoder) + linear head"
        let json = JSONEncoder()
        json.outputFormatting = [.sortedKeys]
        var digest = SHA256()
        digest.update(Array(try json.encode(head)))
        version = String(digest.finalizeHex().prefix(8))
    }

    /// A stratifier from a sequence classifier whose labels name reasoning and knowledge.
    public init(classifier: BertSequenceClassifier) throws {
        backend = .classifier(classifier, reasoningIndex: try Self.reasoningIndex(classifier.labels))
        let folder = classifier.encoder.folder
        name = "\(folder.lastPathComponent) classifier"
        version = try Self.folderVersion(folder)
    }

    /// Hashing every byte of a 440 MB BioMedBERT on each run would cost seconds; the config and the
    /// safetensors header and tail (the classifier's own tensors come last) identify the weights.
    static func folderVersion(_ folder: URL) throws -> String {
        var digest = SHA256()
        for name in ["config.json", "model.safetensors"] {
            let url = folder.appendingPathComponent(name)
            guard let handle = try? FileHandle(forReadingFrom: url) else { continue }
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            try handle.seek(toOffset: 0)
            digest.update(Array(try handle.read(upToCount: 1 << 20) ?? Data()))
            try handle.seek(toOffset: size > (1 << 20) ? size - (1 << 20) : 0)
            digest.update(Array(try handle.read(upToCount: 1 << 20) ?? Data()))
        }
        return String(digest.finalizeHex().prefix(8))
    }

    /// Loads any HF BertForSequenceClassification folder.
    public convenience init(classifierFolder: URL, threads: Int = 2) throws {
        try self.init(classifier: BertSequenceClassifier(folder: classifierFolder, threads: threads))
    }

    /// The embedded default: all-MiniLM-L6-v2 (fetched and cached on first use) and the head
    /// the project trained on its labelled set (Sources/MedQA/Stratifier/DefaultStratifierHead.swift).
    public static func embeddedDefault(threads: Int = 2, progress: (AssetCache.Event) -> Void = { _ in }) throws -> Stratifier {
        try Stratifier(encoder: BertEncoder(folder: DefaultEncoder.folder(progress: progress), threads: threads), head: DefaultStratifierHead.head())
    }

    /// Which output is "reasoning": a label containing "reason", else LABEL_1 / index 1 of two.
    static func reasoningIndex(_ labels: [String]) throws -> Int {
        let lowered = labels.map { $0.lowercased() }
        if let i = lowered.firstIndex(where: { $0.contains("reason") }) { return i }
        if labels.count == 2, let k = lowered.firstIndex(where: { $0.contains("knowledge") }) { return 1 - k }
        if labels.count == 2, lowered == ["label_0", "label_1"] { return 1 }
        throw StratifierError.unmappedLabels(labels)
    }

    /// The probability that each text is reasoning-heavy.
    public func reasoningProbabilities(_ texts: [String], batchSize: Int = 32) -> [Double] {
        switch backend {
        case .head(let encoder, let head):
            let r = try! Self.reasoningIndex(head.labels)
            return encoder.sentenceEmbeddings(texts, batchSize: batchSize).map { Double(head.classify($0).probabilities[r]) }
        case .classifier(let classifier, let r):
            return classifier.classify(texts, batchSize: batchSize).map { Double($0.probabilities[r]) }
        }
    }

    /// Labels each question.
    public func label(_ questions: [Question], batchSize: Int = 32) -> [StratifierLabel] {
        reasoningProbabilities(questions.map(\.stratifierText), batchSize: batchSize).map(StratifierLabel.init)
    }

    /// Sets `split`, `splitSource = .stratifier` and `reasoningProbability` on every question
    /// without a dataset label (a dataset's own `is_reasoning` wins).
    public func apply(to questions: inout [Question], batchSize: Int = 32) {
        let pending = questions.indices.filter { questions[$0].splitSource != .dataset }
        guard !pending.isEmpty else { return }
        let labels = label(pending.map { questions[$0] }, batchSize: batchSize)
        for (i, l) in zip(pending, labels) {
            questions[i].split = l.split
            questions[i].splitSource = .stratifier
            questions[i].reasoningProbability = l.reasoningProbability
        }
    }

    /// Trains a head on a labelled set with `encoder`'s embeddings and cross-validates it.
    public static func train(_ set: [LabelledQuestion], encoder: BertEncoder, encoderName: String,
                             trainer: HeadTrainer = HeadTrainer(), folds: Int = 5) throws -> (head: LinearHead, metrics: ClassificationMetrics) {
        let labels = [Split.knowledge.rawValue, Split.reasoning.rawValue]
        for split in Split.allCases {
            let count = set.filter { $0.label == split }.count
            if count < folds { throw StratifierError.tooFewExamples(split: split, count: count, needed: folds) }
        }
        let features = encoder.sentenceEmbeddings(set.map(\.text))
        let targets = set.map { $0.label == .reasoning ? 1 : 0 }
        let metrics = trainer.crossValidate(features: features, targets: targets, labels: labels, folds: folds)
        var head = trainer.train(features: features, targets: targets, labels: labels, encoder: encoderName)
        head.notes["cvFolds"] = "\(folds)"
        head.notes["cvAccuracy"] = String(format: "%.4f", metrics.accuracy)
        head.notes["cvMacroF1"] = String(format: "%.4f", metrics.macroF1)
        return (head, metrics)
    }
}
