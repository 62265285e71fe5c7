import Foundation
@testable import LLM
import TestSupport
import Tokenizers
import XCTest

/// The continuous-batching engine on the embedded model: answers equal one-at-a-time generation,
/// whatever shares the passes, and the queue, cancellation and shutdown behave.
final class BatchEngineTests: XCTestCase {
    static let model: Result<LanguageModel, Error> = Result {
        try LanguageModel(path: TestPaths.defaultModel().path, threads: 2)
    }

    private func languageModel() throws -> LanguageModel { try Self.model.get() }

    private func prompt(_ lm: LanguageModel, _ question: String) throws -> [Int32] {
        lm.encodePrompt(try lm.renderChat([ChatMessage(role: "user", content: question)]))
    }

    private let questions = [
        "What is the capital of France?",
        "Name a vitamin that dissolves in fat.",
        "Which organ makes insulin?",
        "Count from one to five.",
    ]

    /// One at a time through a fresh ``GenerationSession``: the reference each engine answer must equal.
    private func alone(_ lm: LanguageModel, _ prompt: [Int32], maxTokens: Int, sampling: SamplingParameters,
                       stop: [String] = []) throws -> GenerationResult {
        try GenerationSession(languageModel: lm).generate(prompt: prompt, maxTokens: maxTokens, sampling: sampling, stop: stop)
    }

    func testConcurrentGreedyAndSampledRequestsEqualOneAtATime() async throws {
        let lm = try languageModel()
        var sampled = SamplingParameters(seed: 7)
        sampled.temperature = 0.9
        let cases: [(prompt: [Int32], sampling: SamplingParameters)] = try questions.enumerated().map { i, q in
            (try prompt(lm, q), i % 2 == 0 ? .greedy : sampled)
        }
        let expected = try cases.map { try alone(lm, $0.prompt, maxTokens: 16, sampling: $0.sampling) }

        let engine = BatchEngine(languageModel: lm, configuration: .init(slots: 3))
        let results = try await withThrowingTaskGroup(of: (Int, GenerationResult).self) { group in
            for (i, c) in cases.enumerated() {
                group.addTask { (i, try await engine.generate(GenerationRequest(prompt: c.prompt, maxTokens: 16, sampling: c.sampling))) }
            }
            var results = [GenerationResult?](repeating: nil, count: cases.count)
            for try await (i, result) in group { results[i] = result }
            return results.map { $0! }
        }
        for (i, result) in results.enumerated() {
            XCTAssertEqual(result.tokens, expected[i].tokens, "request \(i): \(questions[i])")
            XCTAssertEqual(result.text, expected[i].text, "request \(i)")
            XCTAssertEqual(result.finishReason, expected[i].finishReason, "request \(i)")
        }
        let metrics = engine.metrics
        XCTAssertEqual(metrics.requestsFinished, cases.count)
        XCTAssertEqual(metrics.generatedTokens, results.reduce(0) { $0 + $1.tokens.count })
        XCTAssertEqual(metrics.running, 0)
        await engine.shutdown(cancelInFlight: false)
    }

    func testStreamedTextAddsUpAndStopStringsMatchOneAtATime() async throws {
        let lm = try languageModel()
        let ids = try prompt(lm, questions[3])
        let expected = try alone(lm, ids, maxTokens: 40, sampling: .greedy, stop: ["three", "3"])
        let engine = BatchEngine(languageModel: lm)
        var streamed = ""
        var tokens: [Int32] = []
        var final: GenerationResult?
        for try await event in try engine.submit(GenerationRequest(prompt: ids, maxTokens: 40, stop: ["three", "3"])) {
            switch event {
            case .prompt:
                XCTFail("the prompt was not asked to be scored")
            case .token(let token):
                streamed += token.text
                tokens.append(token.id)
            case .finished(let result):
                final = result
            }
        }
        let result = try XCTUnwrap(final)
        XCTAssertEqual(result.text, expected.text)
        XCTAssertEqual(result.finishReason, expected.finishReason)
        XCTAssertEqual(streamed, result.text, "token texts add up to the result")
        XCTAssertEqual(tokens, result.tokens)
        await engine.shutdown(cancelInFlight: false)
    }

    func testReusedPrefixSkipsThePromptAndGivesTheSameAnswer() async throws {
        let lm = try languageModel()
        let ids = try prompt(lm, questions[0])
        let engine = BatchEngine(languageModel: lm, configuration: .init(slots: 2))
        let first = try await engine.generate(GenerationRequest(prompt: ids, maxTokens: 12))
        let second = try await engine.generate(GenerationRequest(prompt: ids, maxTokens: 12))
        XCTAssertEqual(first.prefillTokens, ids.count)
        XCTAssertEqual(second.prefillTokens, 2, "all but the last two prompt tokens come from the cache")
        XCTAssertEqual(second.tokens, first.tokens)
        XCTAssertEqual(engine.metrics.promptTokens, ids.count + 2)
        await engine.shutdown(cancelInFlight: false)
    }

    func testLogprobsDescribeTheModelsDistribution() async throws {
        let lm = try languageModel()
        let engine = BatchEngine(languageModel: lm)
        var steps: [GeneratedToken] = []
        for try await event in try engine.submit(GenerationRequest(prompt: try prompt(lm, questions[2]), maxTokens: 6, topLogprobs: 5)) {
            if case .token(let token) = event { steps.append(token) }
        }
        XCTAssertEqual(steps.count, 6)
        for step in steps {
            let logprob = try XCTUnwrap(step.logprob)
            XCTAssertEqual(step.topLogprobs.count, 5)
            XCTAssertEqual(step.topLogprobs.first?.id, step.id, "greedy picks the most likely token")
            XCTAssertEqual(step.topLogprobs.first?.logprob ?? 1, logprob, accuracy: 1e-6)
            XCTAssertLessThanOrEqual(logprob, 0)
            XCTAssertEqual(step.topLogprobs.map(\.logprob), step.topLogprobs.map(\.logprob).sorted(by: >))
            XCTAssertLessThanOrEqual(step.topLogprobs.reduce(0) { $0 + exp(Double($1.logprob)) }, 1.0001)
        }
        await engine.shutdown(cancelInFlight: false)
    }

    /// Scoring a prompt longer than one scoring pass: every token's log-probability is the model's, from one
    /// pass over the whole prompt, and the answer after it is the unscored request's.
    func testPromptLogprobsEqualOnePassAndLeaveTheAnswerAlone() async throws {
        let lm = try languageModel()
        let model = lm.model, vocabulary = model.config.vocabularySize
        let ids = try prompt(lm, questions.joined(separator: " ") + " " + questions.reversed().joined(separator: " ")
                                 + " Answer each question in turn, briefly.")
        XCTAssertGreaterThan(ids.count, 64, "the prompt spans more than one scoring pass")
        var logits = [Float](repeating: 0, count: ids.count * vocabulary)
        var batch = TokenBatch(capacity: ids.count)
        batch.append(ids, startPosition: 0, allLogits: true)
        try logits.withUnsafeMutableBufferPointer { try model.forward(batch, cache: model.makeCache(), logits: $0.baseAddress!) }
        let expected = try alone(lm, ids, maxTokens: 8, sampling: .greedy)

        let engine = BatchEngine(languageModel: lm, configuration: .init(slots: 2))
        var scores: [PromptTokenLogprob]?
        var tokens: [Int32] = []
        for try await event in try engine.submit(GenerationRequest(prompt: ids, maxTokens: 8, promptLogprobs: 3)) {
            switch event {
            case .prompt(let s):
                XCTAssertNil(scores, "reported once")
                XCTAssertTrue(tokens.isEmpty, "before the first token")
                scores = s
            case .token(let token): tokens.append(token.id)
            case .finished: break
            }
        }
        let scored = try XCTUnwrap(scores)
        XCTAssertEqual(scored.map(\.id), ids)
        XCTAssertNil(scored[0].logprob)
        XCTAssertEqual(scored[0].topLogprobs, [])
        logits.withUnsafeBufferPointer { all in
            for i in 1..<ids.count {
                let row = UnsafeBufferPointer(rebasing: all[(i - 1) * vocabulary..<i * vocabulary])
                let logSumExp = LogProbabilities.logSumExp(row)
                XCTAssertEqual(scored[i].logprob, row[Int(ids[i])] - logSumExp, "token \(i)")
                XCTAssertEqual(scored[i].topLogprobs, LogProbabilities.top(3, of: row, logSumExp: logSumExp), "token \(i)")
                XCTAssertLessThanOrEqual(scored[i].logprob ?? 1, scored[i].topLogprobs.first?.logprob ?? 0)
            }
        }
        XCTAssertEqual(tokens, expected.tokens, "scoring changes nothing after the prompt")

        // No new tokens: the prompt alone, scored, then a result with nothing generated.
        var events: [GenerationEvent] = []
        for try await event in try engine.submit(GenerationRequest(prompt: Array(ids.prefix(5)), maxTokens: 0, promptLogprobs: 0)) {
            events.append(event)
        }
        guard events.count == 2, case .prompt(let few) = events[0], case .finished(let result) = events[1] else {
            return XCTFail("expected the scores then the result, got \(events)")
        }
        XCTAssertEqual(few.map(\.logprob), scored.prefix(5).map(\.logprob), "the same numbers from a shorter prompt")
        XCTAssertTrue(few.allSatisfy(\.topLogprobs.isEmpty))
        XCTAssertEqual(result.tokens, [])
        XCTAssertEqual(result.finishReason, .length)
        await engine.shutdown(cancelInFlight: false)
    }

    func testCancellingAStreamFreesItsSlot() async throws {
        let lm = try languageModel()
        let engine = BatchEngine(languageModel: lm, configuration: .init(slots: 1, maxQueued: 1))
        var seen = 0
        for try await event in try engine.submit(GenerationRequest(prompt: try prompt(lm, questions[3]), maxTokens: 500)) {
            if case .token = event { seen += 1 }
            if seen == 3 { break }
        }
        // The only slot is free again, so a second request runs to its end.
        let next = try await engine.generate(GenerationRequest(prompt: try prompt(lm, questions[0]), maxTokens: 4))
        XCTAssertEqual(next.tokens.count, 4)
        XCTAssertEqual(engine.metrics.requestsFinished, 2)
        XCTAssertEqual(engine.metrics.running, 0)
        await engine.shutdown(cancelInFlight: false)
    }

    func testARequestCancelledWhileQueuedLeavesTheQueueAtOnce() async throws {
        let lm = try languageModel()
        // A raw count goes on for thousands of tokens: the only slot stays busy throughout.
        let ids = lm.encodePrompt("1, 2, 3, 4, 5, 6, 7, 8, 9, 10,")
        let engine = BatchEngine(languageModel: lm, configuration: .init(slots: 1, maxQueued: 1))
        let running = try engine.submit(GenerationRequest(prompt: ids, maxTokens: 2000))
        do {
            // Dropped unread: the client went away while waiting for the only slot.
            _ = try engine.submit(GenerationRequest(prompt: ids, maxTokens: 1))
        }
        var accepted: AsyncThrowingStream<GenerationEvent, Error>?
        for _ in 0..<40 where accepted == nil {
            accepted = try? engine.submit(GenerationRequest(prompt: ids, maxTokens: 1))
            if accepted == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        XCTAssertNotNil(accepted, "the queue still counted the cancelled request while the slot was busy")
        XCTAssertEqual(engine.metrics.requestsFinished, 1, "only the cancelled request has ended")
        await engine.shutdown(cancelInFlight: true)
        _ = running
    }

    func testFullQueueOverlongPromptAndShutdownAreTypedErrors() async throws {
        let lm = try languageModel()
        let ids = try prompt(lm, questions[1])
        let engine = BatchEngine(languageModel: lm, configuration: .init(slots: 1, contextLimit: ids.count + 5, maxQueued: 1))
        let running = try engine.submit(GenerationRequest(prompt: ids, maxTokens: 100))
        let waiting = try engine.submit(GenerationRequest(prompt: ids, maxTokens: 100))
        XCTAssertThrowsError(try engine.submit(GenerationRequest(prompt: ids, maxTokens: 1))) {
            XCTAssertEqual($0 as? EngineError, .queueFull(limit: 1))
        }
        let tooLong = [Int32](repeating: ids[0], count: ids.count + 5)
        XCTAssertThrowsError(try engine.submit(GenerationRequest(prompt: tooLong, maxTokens: 1))) {
            XCTAssertTrue("\($0)".contains("context holds \(ids.count + 5)"), "\($0)")
        }
        XCTAssertThrowsError(try engine.submit(GenerationRequest(prompt: [], maxTokens: 1)))
        XCTAssertThrowsError(try engine.submit(GenerationRequest(prompt: [-3], maxTokens: 1)))

        // The context cuts the budget: 5 positions are left after the prompt.
        var finals: [GenerationResult] = []
        for stream in [running, waiting] {
            for try await event in stream { if case .finished(let r) = event { finals.append(r) } }
        }
        XCTAssertEqual(finals.map(\.tokens.count).filter { $0 > 5 }, [], "no sequence runs past the context")

        await engine.shutdown(cancelInFlight: true)
        XCTAssertThrowsError(try engine.submit(GenerationRequest(prompt: ids, maxTokens: 1))) {
            XCTAssertEqual($0 as? EngineError, .shuttingDown)
        }
    }

    func testShutdownCancelsRequestsInFlight() async throws {
        let lm = try languageModel()
        let engine = BatchEngine(languageModel: lm, configuration: .init(slots: 1))
        let ids = try prompt(lm, questions[3])
        let streams = try (0..<3).map { _ in try engine.submit(GenerationRequest(prompt: ids, maxTokens: 2000)) }
        await engine.shutdown(cancelInFlight: true)
        for stream in streams {
            var reason: GenerationResult.FinishReason?
            for try await event in stream { if case .finished(let r) = event { reason = r.finishReason } }
            XCTAssertEqual(reason, .cancelled)
        }
    }
}
