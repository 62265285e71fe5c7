import Foundation
import MedQA

/// Labels questions reasoning-heavy or knowledge-heavy with an LLM: `StratifierJudge`'s prompt
/// (the paper's definition) sent through any backend — the embedded engine or an OpenAI-compatible
/// server — and its verdict parsed from the reply.
public struct SplitJudge: Sendable {
    /// One question's verdict.
    public struct Verdict: Sendable, Hashable {
        /// The split the reply names; nil when it names neither (unparsed).
        public var split: Split?
        /// What the judge wrote.
        public var reply: String
    }

    /// The backend that answers.
    public var backend: any Backend
    /// The token budget of a reply: a word, or a short thought and then the word.
    public var maxTokens: Int
    /// Requests in flight at once (at most the backend's own limit).
    public var concurrency: Int

    /// A judge over `backend`.
    public init(backend: any Backend, maxTokens: Int = 16, concurrency: Int? = nil) {
        self.backend = backend
        self.maxTokens = maxTokens
        self.concurrency = max(1, min(concurrency ?? backend.maxConcurrency, backend.maxConcurrency))
    }

    /// The judge's verdict on each question, in the order given; `progress` gets the count done.
    public func label(_ questions: [Question], progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> [Verdict] {
        var verdicts = [Verdict?](repeating: nil, count: questions.count)
        try await withThrowingTaskGroup(of: (Int, Verdict).self) { group in
            var next = questions.indices.makeIterator()
            func launch() {
                guard let i = next.next() else { return }
                let request = CompletionRequest(prompt: StratifierJudge.prompt(for: questions[i]), maxTokens: maxTokens)
                group.addTask {
                    let reply = try await backend.complete(request).text
                    return (i, Verdict(split: StratifierJudge.verdict(in: reply), reply: reply))
                }
            }
            for _ in 0..<concurrency { launch() }
            var done = 0
            while let (i, verdict) = try await group.next() {
                verdicts[i] = verdict
                done += 1
                progress(done)
                launch()
            }
        }
        return verdicts.map { $0! }
    }
}
