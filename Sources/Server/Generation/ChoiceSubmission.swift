import LLM

/// The engine streams of one request's choices (each prompt × `n`), merged into one stream of
/// events tagged with their choice index. Ending the merged stream (finished, dropped or its
/// consumer cancelled) cancels every choice, which frees their engine slots.
struct ChoiceSubmission: Sendable {
    /// Prompt tokens, once per prompt (usage counts a prompt once however many choices it has).
    var promptTokens: Int
    /// How many choices there are.
    var choiceCount: Int
    /// The events of all choices, interleaved as they come.
    var events: AsyncThrowingStream<ChoiceEvent, Error>

    /// Submits `prompts.count × n` requests; choice `p × n + i` is prompt `p` with seed `seed + i`.
    /// A refusal (full queue, context overflow) cancels whatever was already submitted and throws.
    init(engine: BatchEngine, prompts: [[Int32]], n: Int, contextLimit: Int, options: GenerationOptions,
         base: SamplingParameters, topLogprobs: Int?, promptLogprobs: Int? = nil, retryAfter: Int,
         promptField: String) throws {
        let seed = options.baseSeed
        var streams: [AsyncThrowingStream<GenerationEvent, Error>] = []
        do {
            for prompt in prompts {
                // Without max_tokens the answer may fill the context (as OpenAI's default does).
                let room = max(1, contextLimit - prompt.count)
                let maxTokens = min(options.maxTokens ?? room, room)
                for i in 0..<n {
                    let request = GenerationRequest(
                        prompt: prompt, maxTokens: maxTokens, sampling: options.sampling(base: base, seed: seed, index: i),
                        stop: options.stop, topLogprobs: topLogprobs, promptLogprobs: promptLogprobs)
                    streams.append(try engine.submit(request))
                }
            }
        } catch {
            streams.removeAll()  // dropping a stream cancels its request
            throw APIError.from(engine: error, retryAfter: retryAfter, promptField: promptField)
        }
        promptTokens = prompts.reduce(0) { $0 + $1.count }
        choiceCount = streams.count
        events = Self.merge(streams)
    }

    private static func merge(_ streams: [AsyncThrowingStream<GenerationEvent, Error>]) -> AsyncThrowingStream<ChoiceEvent, Error> {
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for (index, stream) in streams.enumerated() {
                            group.addTask {
                                for try await event in stream { continuation.yield(ChoiceEvent(index: index, event: event)) }
                            }
                        }
                        try await group.waitForAll()
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
