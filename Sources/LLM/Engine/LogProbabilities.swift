import Foundation

/// Log-probabilities from one row of logits, as OpenAI's `logprobs` report them: the model's own
/// distribution, before penalties and temperature.
enum LogProbabilities {
    /// log Σ exp(logits), summed in double so that a large vocabulary loses nothing.
    static func logSumExp(_ logits: UnsafeBufferPointer<Float>) -> Float {
        guard let maximum = logits.max() else { return 0 }
        var sum = 0.0
        for logit in logits { sum += exp(Double(logit - maximum)) }
        return maximum + Float(log(sum))
    }

    /// The `k` most likely tokens, most likely first (lower id first on ties).
    static func top(_ k: Int, of logits: UnsafeBufferPointer<Float>, logSumExp: Float) -> [TokenLogprob] {
        guard k > 0 else { return [] }
        var best: [(id: Int32, logit: Float)] = []
        best.reserveCapacity(k + 1)
        for (i, logit) in logits.enumerated() where best.count < k || logit > best[best.count - 1].logit {
            let at = best.firstIndex { $0.logit < logit } ?? best.count
            best.insert((Int32(i), logit), at: at)
            if best.count > k { best.removeLast() }
        }
        return best.map { TokenLogprob(id: $0.id, logprob: $0.logit - logSumExp) }
    }
}
