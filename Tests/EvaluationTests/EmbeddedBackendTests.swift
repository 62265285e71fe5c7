import Evaluation
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

/// Progress reports collected from the runner's callback.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [EvaluationProgress] = []
    func append(_ p: EvaluationProgress) { lock.lock(); list.append(p); lock.unlock() }
    var all: [EvaluationProgress] { lock.lock(); defer { lock.unlock() }; return list }
}
