import Foundation

/// Accuracy tables for one or more runs: per benchmark × split × mode × variant with Wilson 95 %
/// intervals, the adversarial drop, and paired McNemar comparisons between runs.
public struct Report: Sendable, Codable, Hashable {
    /// The runs, in the order asked.
    public var runs: [RunInfo]
    /// One row per run × benchmark × split × mode × variant; benchmark `all` and split `all` are totals.
    public var rows: [AccuracyRow]
    /// Plain minus adversarial accuracy, per run × benchmark × split × mode × variant.
    public var drops: [AdversarialDrop]
    /// Each later run against the first, on the items both answered.
    public var comparisons: [RunComparison]
    /// Where each run's splits came from, per benchmark.
    public var splitSources: [SplitProvenance]

    /// Where the splits of one benchmark of a run came from, and for how many of its questions.
    public struct SplitProvenance: Sendable, Codable, Hashable {
        /// The run's name.
        public var run: String
        /// The benchmark.
        public var benchmark: String
        /// `dataset`, `stratifier (NAME, vVERSION)` or `unlabelled` (`StoredItem.splitProvenance`).
        public var source: String
        /// Distinct questions labelled so.
        public var questions: Int

        /// How a table says it: "split from dataset", "split from stratifier (…)", "unlabelled".
        public var phrase: String { source == "unlabelled" ? source : "split from \(source)" }
    }

    /// A run's header.
    public struct RunInfo: Sendable, Codable, Hashable {
        /// Its name.
        public var name: String
        /// Its identity.
        public var id: String
        /// The model.
        public var model: String
        /// Items stored.
        public var items: Int
        /// Items planned.
        public var planned: Int
    }

    /// Builds the report of `runs` with their stored items.
    public init(runs: [(run: StoredRun, items: [StoredItem])]) {
        self.runs = runs.map { RunInfo(name: $0.run.name, id: $0.run.id, model: $0.run.modelName, items: $0.items.count, planned: $0.run.plannedItems) }
        rows = []
        drops = []
        comparisons = []
        splitSources = runs.flatMap { run, items in
            Dictionary(grouping: items, by: { [$0.benchmark, $0.splitProvenance] }).map { key, group in
                SplitProvenance(run: run.name, benchmark: key[0], source: key[1], questions: Set(group.map(\.questionID)).count)
            }.sorted { [$0.benchmark, $0.source].lexicographicallyPrecedes([$1.benchmark, $1.source]) }
        }
        for (run, items) in runs {
            let groups = Dictionary(grouping: items.flatMap { item in
                [item.benchmark, "all"].flatMap { b in [item.split ?? "unlabelled", "all"].map { s in (GroupKey(benchmark: b, split: s, mode: item.mode, variant: item.variant), item) } }
            }, by: \.0).mapValues { $0.map(\.1) }
            for key in groups.keys.sorted() {
                let group = groups[key]!
                // A split row that repeats its benchmark's only split adds nothing.
                if key.split != "all", Set(items.filter { $0.benchmark == key.benchmark || key.benchmark == "all" }.map { $0.split ?? "unlabelled" }).count == 1 { continue }
                let correct = group.filter(\.correct).count
                let interval = Statistics.wilson(successes: correct, total: group.count)
                rows.append(AccuracyRow(run: run.name, benchmark: key.benchmark, split: key.split, mode: key.mode, variant: key.variant,
                                        total: group.count, correct: correct, unparsed: group.filter(\.unparsed).count,
                                        accuracy: Double(correct) / Double(group.count), lower: interval.lower, upper: interval.upper,
                                        splitSource: Set(group.map(\.splitProvenance)).sorted().joined(separator: "; ")))
            }
        }
        let byKey = Dictionary(rows.map { (RowKey(run: $0.run, benchmark: $0.benchmark, split: $0.split, mode: $0.mode, variant: $0.variant), $0) }, uniquingKeysWith: { a, _ in a })
        for row in rows where row.variant != "none" {
            guard let plain = byKey[RowKey(run: row.run, benchmark: row.benchmark, split: row.split, mode: row.mode, variant: "none")] else { continue }
            drops.append(AdversarialDrop(run: row.run, benchmark: row.benchmark, split: row.split, mode: row.mode, variant: row.variant,
                                         plain: plain.accuracy, adversarial: row.accuracy, drop: plain.accuracy - row.accuracy))
        }
        if let first = runs.first {
            let base = Dictionary(first.items.map { ($0.itemKey, $0) }, uniquingKeysWith: { a, _ in a })
            for other in runs.dropFirst() {
                let pairs = other.items.compactMap { item in base[item.itemKey].map { ($0, item) } }
                let groups = Dictionary(grouping: pairs.flatMap { pair in
                    [pair.0.benchmark, "all"].map { (GroupKey(benchmark: $0, split: "all", mode: pair.0.mode, variant: pair.0.variant), pair) }
                }, by: \.0).mapValues { $0.map(\.1) }
                for key in groups.keys.sorted() {
                    let group = groups[key]!
                    let onlyFirst = group.filter { $0.0.correct && !$0.1.correct }.count
                    let onlySecond = group.filter { !$0.0.correct && $0.1.correct }.count
                    comparisons.append(RunComparison(
                        first: first.run.name, second: other.run.name, benchmark: key.benchmark, mode: key.mode, variant: key.variant,
                        paired: group.count, firstAccuracy: Double(group.filter(\.0.correct).count) / Double(group.count),
                        secondAccuracy: Double(group.filter(\.1.correct).count) / Double(group.count),
                        onlyFirst: onlyFirst, onlySecond: onlySecond,
                        pValue: Statistics.mcNemarExact(onlyFirst: onlyFirst, onlySecond: onlySecond)))
                }
            }
        }
    }

    private struct GroupKey: Hashable, Comparable {
        var benchmark: String, split: String, mode: String, variant: String
        // Totals last, plain before adversarial, so tables read top-down.
        private var order: [String] {
            [benchmark == "all" ? "~" : benchmark, split == "all" ? "~" : split, mode, variant == "none" ? "" : variant]
        }
        static func < (a: GroupKey, b: GroupKey) -> Bool { a.order.lexicographicallyPrecedes(b.order) }
    }

    private struct RowKey: Hashable {
        var run: String, benchmark: String, split: String, mode: String, variant: String
    }
}
