@testable import Evaluation
import Foundation
import LLM
import MedQA
import TestSupport
import XCTest

/// The embedded model end to end: prompts rendered with its own template, greedy answers, store, resume.
final class EmbeddedBackendTests: XCTestCase {
    static let model: LanguageModel? = try? LanguageModel(ggufPath: TestPaths.defaultModel().path, threads: 2)

    func backend() throws -> EmbeddedBackend {
        let lm = try XCTUnwrap(Self.model, "the default model could not be fetched or loaded")
        return try EmbeddedBackend(languageModel: lm)
    }

    func questions() throws -> [Question] {
        try LoadedBenchmark.load(TestPaths.fixture("medqa/biomed-r1-eval/medqa/test-00000-of-00001.jsonl").path).questions
    }

    func testPrefillIsRenderedAsAnOpenAssistantTurn() throws {
        let backend = try backend()
        let question = try questions()[0]
        let builder = PromptBuilder(mode: .direct, seed: 0)
        let plain = try backend.render(builder.prompt(for: question))
        XCTAssertTrue(plain.hasSuffix("<|im_start|>assistant\n"), plain)
        let prefill = builder.prompt(for: question, variant: .prefill)
        let text = try backend.render(prefill)
        let attack = try XCTUnwrap(prefill.adversarial)
        XCTAssertTrue(text.hasSuffix(attack.assistantText), String(text.suffix(200)))
        XCTAssertTrue(text.contains("<|im_start|>assistant\nThe answer is \(attack.wrongLetter)"))
        // The user turn is closed, the assistant turn is not.
        XCTAssertEqual(text.components(separatedBy: "<|im_end|>").count, plain.components(separatedBy: "<|im_end|>").count)
    }

    func testRunnerAnswersStoresAndResumesWithoutRepeating() async throws {
        let backend = try backend()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("embedded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ResultStore(path: directory.appendingPathComponent("r.sqlite").path)
        let benchmark = try LoadedBenchmark.load(TestPaths.fixture("medqa/biomed-r1-eval/medqa/test-00000-of-00001.jsonl").path)
        let settings = RunSettings(model: backend.modelIdentity, benchmarks: [benchmark.identity], modes: [.direct],
                                   variants: [nil, .prefill], seed: 0, limit: 2, maxTokens: 6)
        let runner = EvaluationRunner(backend: backend, store: store)
        let reports = Reports()
        let run = try await runner.run(name: "e2e", settings: settings, benchmarks: [benchmark]) { reports.append($0) }
        let items = try store.items(runID: run.id)
        XCTAssertEqual(items.count, 4)
        XCTAssertEqual(reports.all.last?.done, 4)
        XCTAssertEqual(Set(items.map(\.variant)), ["none", "prefill"])
        for item in items {
            XCTAssertGreaterThan(item.promptTokens, 50)
            XCTAssertLessThanOrEqual(item.completionTokens, 6)
            XCTAssertEqual(item.unparsed, item.extracted == nil)
            XCTAssertEqual(item.correct, item.extracted == item.answer)
            XCTAssertEqual(item.split != nil, item.splitSource == "dataset")
        }
        // A prefill is scored on the prefilled answer plus the continuation, so it always parses.
        for item in items where item.variant == "prefill" {
            XCTAssertNotNil(item.adversarialLetter)
            XCTAssertFalse(item.unparsed)
        }

        let again = Reports()
        try await runner.run(name: "e2e", settings: settings, benchmarks: [benchmark]) { again.append($0) }
        XCTAssertEqual(again.all.map(\.resumed), [4])
        XCTAssertEqual(try store.items(runID: run.id), items)
    }

    /// The batched engine answers each prompt as it would alone: one request at a time and four
    /// sharing the engine's passes store the same completions.
    func testAnswersDoNotDependOnConcurrency() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("concurrency-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let benchmark = try LoadedBenchmark.load(TestPaths.fixture("medqa/biomed-r1-eval/medqa/test-00000-of-00001.jsonl").path)
        var completions: [[String: String]] = []
        for concurrency in [1, 4] {
            let backend = try backend()
            let store = try ResultStore(path: directory.appendingPathComponent("c\(concurrency).sqlite").path)
            let settings = RunSettings(model: backend.modelIdentity, benchmarks: [benchmark.identity], modes: [.direct],
                                       variants: [nil, .prefill], seed: 3, limit: 2, maxTokens: 8)
            let runner = EvaluationRunner(backend: backend, store: store, concurrency: concurrency)
            let run = try await runner.run(name: "c", settings: settings, benchmarks: [benchmark]) { _ in }
            let items = try store.items(runID: run.id)
            XCTAssertEqual(items.count, 4)
            completions.append(Dictionary(uniqueKeysWithValues: items.map { ("\($0.questionID)/\($0.variant)", $0.completion) }))
        }
        XCTAssertEqual(completions[0], completions[1])
    }
}

extension EmbeddedBackendTests {
    /// A run over a benchmark with `is_reasoning` and one without: the dataset's labels are kept,
    /// the stratifier labels the rest, each item says which (with the probability and the
    /// stratifier's version), and the report says so per benchmark. The store is one an older
    /// version left, holding one unlabelled item of this run: it is resumed, not repeated, and
    /// labelled too.
    func testSplitsComeFromTheDatasetOrTheStratifierAndAnOldStoreResumes() async throws {
        let backend = try backend()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratified-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("r.sqlite").path
        let labelled = try LoadedBenchmark.load(TestPaths.fixture("medqa/biomed-r1-eval/medqa/test-00000-of-00001.jsonl").path)
        let unlabelled = try LoadedBenchmark.load(TestPaths.fixture("medqa/anatomy_test.csv").path)
        XCTAssertTrue(unlabelled.questions.allSatisfy { $0.split == nil })
        let settings = RunSettings(model: backend.modelIdentity, benchmarks: [labelled.identity, unlabelled.identity], modes: [.direct],
                                   variants: [nil, .prefill], seed: 0, limit: 2, maxTokens: 6)
        let sample = QuestionSampler.sample(unlabelled.questions, limit: 2, seed: 0)
        let oldItem = try XCTUnwrap(EvaluationRunner.plan(sample, settings: settings).first)

        try ResultStore(path: path, migratingUpTo: "v1").register(StoredRun(
            id: settings.identity, name: "old", settingsJSON: "{}", modelName: backend.modelName, plannedItems: 8, createdAt: Date()))
        try OldStore.insert(path: path, run: settings.identity, benchmark: oldItem.question.benchmark, question: oldItem.question.id,
                            split: nil, variant: "none", completion: "answered by the old version")

        let stratifier = try Stratifier(classifierFolder: TestPaths.fixture("encoder/tiny-bert-classifier"), threads: 2)
        let store = try ResultStore(path: path)
        let reports = Reports()
        let run = try await EvaluationRunner(backend: backend, store: store, stratifier: stratifier)
            .run(name: nil, settings: settings, benchmarks: [labelled, unlabelled]) { reports.append($0) }
        XCTAssertEqual(reports.all.first?.resumed, 1)
        let items = try store.items(runID: run.id)
        XCTAssertEqual(items.count, 8)

        let expected = Dictionary(uniqueKeysWithValues: zip(sample.map(\.id), stratifier.label(sample)))
        for item in items where item.benchmark == unlabelled.name {
            let label = try XCTUnwrap(expected[item.questionID])
            XCTAssertEqual(item.split, label.split.rawValue)
            XCTAssertEqual(item.splitSource, "stratifier")
            XCTAssertEqual(try XCTUnwrap(item.reasoningProbability), label.reasoningProbability, accuracy: 1e-9)
            XCTAssertEqual(item.splitLabeller, stratifier.labeller)
        }
        let resumed = try XCTUnwrap(items.first { $0.itemKey == oldItem.key })
        XCTAssertEqual(resumed.completion, "answered by the old version")
        let datasetQuestions = Dictionary(uniqueKeysWithValues: labelled.questions.map { ($0.id, $0) })
        for item in items where item.benchmark == labelled.name {
            let question = try XCTUnwrap(datasetQuestions[item.questionID])
            XCTAssertEqual(item.split, question.split?.rawValue)
            XCTAssertEqual(item.splitSource, "dataset")
            XCTAssertNil(item.splitLabeller)
            XCTAssertEqual(item.reasoningProbability, question.reasoningProbability)
        }

        let report = Report(runs: [(run, items)])
        XCTAssertEqual(Set(report.splitSources.map { "\($0.benchmark): \($0.phrase), \($0.questions)" }),
                       ["\(labelled.name): split from dataset, 2", "\(unlabelled.name): split from stratifier (\(stratifier.labeller)), 2"])
        XCTAssertTrue(report.table.contains("split from stratifier (tiny-bert-classifier classifier, v\(stratifier.version))"), report.table)
        XCTAssertFalse(report.rows.contains { $0.split == "unlabelled" })
    }
}

/// Progress reports collected from the runner's callback.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [EvaluationProgress] = []
    func append(_ p: EvaluationProgress) { lock.lock(); list.append(p); lock.unlock() }
    var all: [EvaluationProgress] { lock.lock(); defer { lock.unlock() }; return list }
}
