import Foundation
import MedQA
import ModelFiles

/// A benchmark ready to run: its questions and the identity of the file they came from.
public struct LoadedBenchmark: Sendable {
    /// Its name in the store and reports.
    public var name: String
    /// Its questions.
    public var questions: [Question]
    /// Its part of the run identity.
    public var identity: BenchmarkIdentity

    /// A loaded benchmark.
    public init(name: String, questions: [Question], identity: BenchmarkIdentity) {
        self.name = name
        self.questions = questions
        self.identity = identity
    }

    /// Loads `spec`: a catalog name (`mmlu-medical`, fetched into `cache` on first use) or a file
    /// path, read as `format` or detected by content.
    public static func load(
        _ spec: String, format: BenchmarkFormat? = nil, cache: AssetCache = .standard,
        progress: (AssetCache.Event) -> Void = { _ in }
    ) throws -> LoadedBenchmark {
        if let entry = BenchmarkCatalog.entry(named: spec) {
            let file = try cache.path(of: entry.asset, progress: progress)
            let questions = try BenchmarkCatalog.load(entry, from: file)
            return LoadedBenchmark(name: entry.name, questions: questions,
                                   identity: BenchmarkIdentity(name: entry.name, fileHash: try FileDigest.sha256(of: file)))
        }
        let url = URL(fileURLWithPath: spec)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EvaluationError.unknownBenchmark(spec, known: BenchmarkCatalog.entries.map(\.name))
        }
        let imported = try BenchmarkFormat.load(url, format: format)
        guard let first = imported.questions.first else { throw EvaluationError.emptyBenchmark(path: url.path) }
        return LoadedBenchmark(name: first.benchmark, questions: imported.questions,
                               identity: BenchmarkIdentity(name: first.benchmark, fileHash: try FileDigest.sha256(of: url)))
    }
}
