import Foundation
import MedQA

/// Runs questions × modes × variants through a backend into the store.
///
/// Items are planned in a fixed order (question, mode, variant) from the settings, so the same
/// settings and seed give the same items; an item already in the store is skipped, and each
/// answered item is committed at once, so an interrupted run resumes where it stopped.
///
/// A question's split is the dataset's own label when it has one (`is_reasoning`), otherwise the
/// stratifier's; each item records which, with the probability and the stratifier's version.
public struct EvaluationRunner: Sendable {
    /// The backend.
    public var backend: any Backend
    /// The store.
    public var store: ResultStore
    /// Requests in flight at once (at most the backend's own limit).
    public var concurrency: Int
    /// The answer extractor.
    public var extractor = AnswerExtractor()
    /// Labels the questions the dataset leaves unlabelled; nil leaves them `unlabelled`.
    public var stratifier: Stratifier?

    /// A runner.
    public init(backend: any Backend, store: ResultStore, concurrency: Int? = nil, stratifier: Stratifier? = nil) {
        self.backend = backend
        self.store = store
        self.stratifier = stratifier
        self.concurrency = max(1, min(concurrency ?? backend.maxConcurrency, backend.maxConcurrency))
    }

    /// One planned item.
    public struct PlannedItem: Sendable {
        /// The question.
        public var question: Question
        /// The mode.
        public var mode: PromptMode
        /// The variant, nil for plain.
        public var variant: AdversarialVariant?
        /// The prompt.
        public var prompt: Prompt
        /// The stratifier that labelled `question.split`, when it did.
        public var labeller: String?
        /// The store key.
        public var key: ItemKey { ItemKey(benchmark: question.benchmark, questionID: question.id, mode: mode.rawValue, variant: AdversarialVariant.label(variant)) }
    }

    /// The items of a run over `questions` (already sampled) with `settings`.
    public static func plan(_ questions: [Question], settings: RunSettings) -> [PlannedItem] {
        var items: [PlannedItem] = []
        for question in questions {
            for mode in settings.modes {
                let builder = PromptBuilder(mode: mode, seed: settings.seed)
                for variant in settings.variants {
                    let prompt = builder.prompt(for: question, variant: variant)
                    // A question with no wrong option has no adversarial form.
                    if variant != nil, prompt.adversarial == nil { continue }
                    items.append(PlannedItem(question: question, mode: mode, variant: variant, prompt: prompt))
                }
            }
        }
        return items
    }

    /// Runs (or resumes) the run `name` over `benchmarks` with `settings`, sampling each benchmark
    /// to `settings.limit` questions. Returns the run.
    @discardableResult
    public func run(
        name: String?, settings: RunSettings, benchmarks: [LoadedBenchmark],
        progress: @escaping @Sendable (EvaluationProgress) -> Void = { _ in }
    ) async throws -> StoredRun {
        let questions = benchmarks.flatMap { benchmark in
            settings.limit.map { QuestionSampler.sample(benchmark.questions, limit: $0, seed: settings.seed) } ?? benchmark.questions
        }
        let planned = Self.plan(questions, settings: settings)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let id = settings.identity
        let run = try store.register(StoredRun(
            id: id, name: name ?? id, settingsJSON: String(decoding: try encoder.encode(settings), as: UTF8.self),
            modelName: backend.modelName, plannedItems: planned.count, createdAt: Date()))

        let existing = try store.items(runID: run.id)
        let finished = Set(existing.map(\.itemKey))
        var remaining = planned.filter { !finished.contains($0.key) }
        if let stratifier {
            remaining = try label(questions, remaining: remaining, stored: existing, runID: run.id, with: stratifier)
        }
        var state = EvaluationProgress(
            done: planned.count - remaining.count, total: planned.count, resumed: planned.count - remaining.count,
            correct: existing.filter(\.correct).count, unparsed: existing.filter(\.unparsed).count, elapsed: 0)
        let start = Date()
        progress(state)

        try await withThrowingTaskGroup(of: StoredItem.self) { group in
            var next = remaining.makeIterator()
            func launch() {
                guard let item = next.next() else { return }
                group.addTask { try await answer(item, runID: run.id, promptHash: settings.promptHash, maxTokens: settings.maxTokens) }
            }
            for _ in 0..<concurrency { launch() }
            while let item = try await group.next() {
                try store.save(item)
                state.done += 1
                if item.correct { state.correct += 1 }
                if item.unparsed { state.unparsed += 1 }
                state.elapsed = Date().timeIntervalSince(start)
                progress(state)
                launch()
            }
        }
        return run
    }

    /// Labels the questions without a dataset label that still have items to answer, or stored
    /// items without a split (a run begun before the stratifier was used, or by an older version),
    /// updates those stored items, and returns `remaining` with the labels.
    private func label(_ questions: [Question], remaining: [PlannedItem], stored: [StoredItem], runID: String,
                       with stratifier: Stratifier) throws -> [PlannedItem] {
        let wanted = Set(remaining.map(\.question.key)).union(stored.filter { $0.split == nil }.map { "\($0.benchmark)/\($0.questionID)" })
        var pending = questions.filter { $0.splitSource != .dataset && wanted.contains($0.key) }
        guard !pending.isEmpty else { return remaining }
        stratifier.apply(to: &pending)
        let byKey = Dictionary(pending.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        try store.storeLabels(runID: runID, labels: pending.compactMap { QuestionLabel($0, labeller: stratifier.labeller) })
        return remaining.map { item in
            guard let labelled = byKey[item.question.key] else { return item }
            var item = item
            item.question = labelled
            item.labeller = stratifier.labeller
            return item
        }
    }

    private func answer(_ item: PlannedItem, runID: String, promptHash: String, maxTokens: Int) async throws -> StoredItem {
        let completion = try await backend.complete(CompletionRequest(prompt: item.prompt, maxTokens: maxTokens))
        let scored = item.prompt.scoredText(completion: completion.text)
        let extracted = extractor.extract(scored, options: item.question.options)
        return StoredItem(
            runID: runID, benchmark: item.question.benchmark, questionID: item.question.id, subject: item.question.subject,
            split: item.question.split?.rawValue, splitSource: item.question.splitSource?.rawValue,
            mode: item.mode.rawValue, variant: AdversarialVariant.label(item.variant), promptHash: promptHash,
            adversarialLetter: item.prompt.adversarial?.wrongLetter, answer: item.question.answer,
            completion: completion.text, extracted: extracted?.letter, rule: extracted?.rule.rawValue,
            correct: extracted?.letter == item.question.answer, unparsed: extracted == nil,
            promptTokens: completion.promptTokens, completionTokens: completion.completionTokens,
            latency: completion.latency, finishedAt: Date(),
            reasoningProbability: item.question.split == nil ? nil : item.question.reasoningProbability,
            splitLabeller: item.question.splitSource == .stratifier ? item.labeller : nil)
    }
}
