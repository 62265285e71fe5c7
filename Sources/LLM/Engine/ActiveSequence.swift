import Foundation
import Tokenizers

/// The per-request state of a request that holds a slot; touched only by the engine's thread.
final class ActiveSequence {
    let job: EngineJob
    let slot: Int
    /// Tokens the request may still generate in all (its limit, cut by the context).
    let budget: Int
    /// The position its prompt's first uncached token goes to.
    let prefillStart: Int
    var sampler: Sampler
    var decoder: StreamingDecoder
    var matcher: StopStringMatcher
    var result: GenerationResult
    /// Whether its prompt has been run.
    var prefilled = false
    /// The token sampled last and not yet run through the model.
    var pendingToken: Int32 = 0
    var decodeStart = Date()

    init(job: EngineJob, slot: Int, prefillStart: Int, contextLimit: Int, tokenizer: BPETokenizer) {
        let request = job.request
        self.job = job
        self.slot = slot
        self.prefillStart = prefillStart
        budget = min(request.maxTokens, contextLimit - request.prompt.count)
        var sampler = Sampler(parameters: request.sampling)
        for token in request.prompt { sampler.accept(token) }
        self.sampler = sampler
        decoder = StreamingDecoder(tokenizer: tokenizer, special: false)
        matcher = StopStringMatcher(stops: request.stop)
        result = GenerationResult(
            text: "", tokens: [], finishReason: .length, prefillTokens: request.prompt.count - prefillStart,
            promptTokens: request.prompt.count, prefillSeconds: 0, decodeSeconds: 0)
    }
}
