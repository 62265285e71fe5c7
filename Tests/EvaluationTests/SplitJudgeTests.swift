import Evaluation
import Foundation
import LLM
import MedQA
import TestSupport
import XCTest

/// The LLM judge of `stratify --judge`: the documented prompt through a real model, its replies
/// parsed, and the agreement with a classifier. The embedded SmolLM2 runs everywhere; an
/// OpenAI-compatible server runs the same path over HTTP when `$BIOMED_R1_TEST_ENDPOINT` names one
/// (e.g. `llama-server -m SmolLM2-135M-Instruct.Q4_1.gguf --port 8080` or `biomed-r1 serve`).
final class SplitJudgeTests: XCTestCase {
    func questions() throws -> [Question] {
        Array(try LoadedBenchmark.load(TestPaths.fixture("medqa/biomed-r1-eval/medqa/test-00000-of-00001.jsonl").path).questions.prefix(2))
    }

    /// Checks what holds for any judge model: one verdict per question in order, each the parse of
    /// its reply, and agreement counts that add up against the dataset's own labels.
    func checkVerdicts(_ verdicts: [SplitJudge.Verdict], for questions: [Question]) {
        XCTAssertEqual(verdicts.count, questions.count)
        for verdict in verdicts {
            XCTAssertFalse(verdict.reply.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
            XCTAssertEqual(verdict.split, StratifierJudge.verdict(in: verdict.reply), verdict.reply)
        }
        let reference = questions.map { $0.split! }
        let agreement = JudgeAgreement(judge: verdicts.map(\.split), classifier: reference)
        XCTAssertEqual(agreement.compared + agreement.unparsed, questions.count)
        XCTAssertEqual(agreement.agreed, zip(verdicts, reference).filter { $0.0.split == $0.1 }.count)
        XCTAssertEqual(agreement.confusion.joined().reduce(0, +), agreement.compared)
    }

    func testEmbeddedJudgeAnswersTheDocumentedPrompt() async throws {
        let model = try LanguageModel(ggufPath: TestPaths.defaultModel().path, threads: 2)
        let backend = try EmbeddedBackend(languageModel: model)
        let questions = try questions()
        // The model sees the paper's definition and the question, in its own chat template.
        let rendered = try backend.render(StratifierJudge.prompt(for: questions[0]))
        XCTAssertTrue(rendered.contains("multi-step inference"))
        XCTAssertTrue(rendered.contains(questions[0].text))
        XCTAssertTrue(rendered.hasSuffix("<|im_start|>assistant\n"), String(rendered.suffix(80)))

        let verdicts = try await SplitJudge(backend: backend, maxTokens: 8).label(questions)
        checkVerdicts(verdicts, for: questions)
        // Verdicts line up with their questions: the first question alone gets the same reply, on
        // the same engine, whose slots now hold the shared prompt prefix and reuse it.
        let alone = try await SplitJudge(backend: backend, maxTokens: 8).label([questions[0]])
        XCTAssertEqual(alone, [verdicts[0]])
        XCTAssertNotEqual(verdicts[1].reply, verdicts[0].reply)
    }

    func testJudgeOverAnOpenAICompatibleServer() async throws {
        guard let text = ProcessInfo.processInfo.environment["BIOMED_R1_TEST_ENDPOINT"], let url = URL(string: text) else {
            throw XCTSkip("set BIOMED_R1_TEST_ENDPOINT to an OpenAI-compatible server's base URL to test the HTTP judge")
        }
        let models = try await OpenAICompatibleBackend.servedModels(at: url)
        let served = try XCTUnwrap(models.first, "\(url) lists no model at /v1/models")
        let backend = try OpenAICompatibleBackend(endpoints: [url], servedModel: served, renderer: nil, api: .chatCompletions,
                                                  maxConcurrency: 2, timeout: 120)
        let questions = try questions()
        checkVerdicts(try await SplitJudge(backend: backend, maxTokens: 8).label(questions), for: questions)
    }
}
