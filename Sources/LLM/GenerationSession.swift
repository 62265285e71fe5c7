import Foundation
import Tokenizers

/// One sequence of a model, kept between calls: each prompt reuses the cached prefix it shares
/// with what the session already processed, so a chat's earlier turns are never run again.
public final class GenerationSession {
    /// The model.
    public let languageModel: LanguageModel
    /// The sequence's keys and values.
    public let cache: KVCache
    /// The tokens whose keys and values are in the cache.
    public private(set) var cachedTokens: [Int32] = []
    private var batch: TokenBatch
    private let logits: UnsafeMutableBufferPointer<Float>

    /// A session with an empty cache of up to `contextLimit` positions (the model's own by default).
    public init(languageModel: LanguageModel, contextLimit: Int? = nil) {
        self.languageModel = languageModel
        cache = languageModel.model.makeCache(contextLimit: contextLimit)
        batch = TokenBatch(capacity: languageModel.model.maxBatchTokens)
        logits = .allocate(capacity: languageModel.model.config.vocabularySize)
    }

    deinit {
        logits.deallocate()
    }

    /// Forgets the cached sequence.
    public func reset() {
        cachedTokens.removeAll()
        cache.truncate(slot: 0, to: 0)
    }

    /// Continues `prompt` (token ids of the whole sequence so far) for up to `maxTokens` tokens,
    /// calling `onText` with each piece of text as soon as it is complete UTF-8 and known not to
    /// start a stop string. `onText` returns false to stop early.
    @discardableResult
    public func generate(
        prompt: [Int32], maxTokens: Int, sampling: SamplingParameters, stop: [String] = [],
        onText: (String) -> Bool = { _ in true }
    ) throws -> GenerationResult {
        guard !prompt.isEmpty else { throw ModelError.emptyPrompt }
        let model = languageModel.model
        let limit = cache.contextLimit
        guard prompt.count + 1 <= limit else {
            throw ModelError.contextOverflow(needed: prompt.count + 1, limit: limit)
        }
        let budget = min(maxTokens, limit - prompt.count)

        // Reuse the cached prefix, running at least the last two prompt tokens again: a prompt pass
        // of several tokens sums attention in llama.cpp's batch order, so the logits equal those of
        // a fresh session (one token alone would take the single-token order).
        var shared = zip(cachedTokens, prompt).prefix { $0 == $1 }.count
        shared = max(0, min(shared, prompt.count - 2))
        cache.truncate(slot: 0, to: shared)
        cachedTokens = Array(prompt.prefix(shared))

        var sampler = Sampler(parameters: sampling)
        prompt.forEach { sampler.accept($0) }
        let start = Date()
        batch.removeAll()
        batch.append(prompt[shared...], startPosition: shared)
        try model.forward(batch, cache: cache, logits: logits.baseAddress!)
        cachedTokens.append(contentsOf: prompt[shared...])
        let prefillSeconds = Date().timeIntervalSince(start)

        var result = GenerationResult(
            text: "", tokens: [], finishReason: .length, prefillTokens: prompt.count - shared,
            promptTokens: prompt.count, prefillSeconds: prefillSeconds, decodeSeconds: 0)
        var decoder = StreamingDecoder(tokenizer: languageModel.tokenizer, special: false)
        var matcher = StopStringMatcher(stops: stop)
        let endTokens = languageModel.stopTokenIDs
        let decodeStart = Date()

        func emit(_ text: String) -> Bool {
            guard !text.isEmpty else { return true }
            result.text += text
            return onText(text)
        }

        while result.tokens.count < budget {
            let token = sampler.sample(logits)
            result.tokens.append(token)
            sampler.accept(token)
            if endTokens.contains(token) {
                result.finishReason = .endOfGeneration
                break
            }
            let (text, stopped) = matcher.feed(decoder.append(token))
            if !emit(text) {
                result.finishReason = .cancelled
                break
            }
            if stopped {
                result.finishReason = .stopString
                break
            }
            guard result.tokens.count < budget else { break }
            batch.removeAll()
            batch.append(token, position: cachedTokens.count, wantsLogits: true)
            try model.forward(batch, cache: cache, logits: logits.baseAddress!)
            cachedTokens.append(token)
        }
        if result.finishReason != .stopString && result.finishReason != .cancelled {
            _ = emit(matcher.feed(decoder.flush()).emit + matcher.flush())
        }
        result.decodeSeconds = Date().timeIntervalSince(decodeStart)
        return result
    }
}
