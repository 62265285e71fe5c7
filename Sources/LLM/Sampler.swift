/// Picks next tokens from logits under ``SamplingParameters``: penalties, then top-k, top-p, min-p,
/// temperature, then a seeded draw — llama.cpp's default chain.
///
/// A sampler belongs to one sequence: it holds that sequence's random state and recent tokens.
/// Its candidate buffers are reused, so sampling allocates nothing per token after the first.
public struct Sampler: Sendable {
    /// The settings.
    public let parameters: SamplingParameters
    private var random: Xoshiro256
    private var recent: [Int32] = []
    private var candidates: [(id: Int32, logit: Float)] = []
    private var probabilities: [Float] = []
    private var counts: [Int32: Int] = [:]

    /// A sampler with its own random stream from `parameters.seed`.
    public init(parameters: SamplingParameters) {
        self.parameters = parameters
        random = Xoshiro256(seed: parameters.seed)
        recent.reserveCapacity(min(max(0, parameters.repeatLastN), 4096) + 1)
    }

    /// Records a token of the sequence (prompt or generated) for the penalties.
    public mutating func accept(_ token: Int32) {
        guard parameters.repeatLastN > 0 else { return }
        recent.append(token)
        if recent.count > parameters.repeatLastN { recent.removeFirst(recent.count - parameters.repeatLastN) }
    }

    /// Chooses the next token from one row of logits (modified in place by the penalties).
    public mutating func sample(_ logits: UnsafeMutableBufferPointer<Float>) -> Int32 {
        applyPenalties(logits)
        let p = parameters
        if p.temperature <= 0 { return Sampler.argmax(logits) }

        selectCandidates(logits, k: p.topK > 0 ? min(p.topK, logits.count) : logits.count)
        // top-p and min-p look at the untempered distribution, as llama.cpp's chain does.
        softmaxOfCandidates(temperature: 1)
        var keep = candidates.count
        if p.topP < 1 {
            var cumulative: Float = 0
            for (i, q) in probabilities.enumerated() {
                cumulative += q
                if cumulative >= p.topP { keep = min(keep, i + 1); break }
            }
        }
        if p.minP > 0, let top = probabilities.first {
            let floor = top * p.minP
            keep = min(keep, max(1, probabilities.prefix(keep).firstIndex { $0 < floor } ?? keep))
        }
        candidates.removeLast(candidates.count - keep)
        softmaxOfCandidates(temperature: p.temperature)
        let draw = random.nextUnitFloat()
        var cumulative: Float = 0
        for (i, q) in probabilities.enumerated() {
            cumulative += q
            if draw < cumulative { return candidates[i].id }
        }
        return candidates[candidates.count - 1].id
    }

    /// Fills `candidates` with the `k` largest logits, largest first. For small k a bounded
    /// insertion keeps this linear in the vocabulary instead of sorting all of it every token.
    private mutating func selectCandidates(_ logits: UnsafeMutableBufferPointer<Float>, k: Int) {
        candidates.removeAll(keepingCapacity: true)
        if k * 8 >= logits.count {
            for (i, logit) in logits.enumerated() { candidates.append((Int32(i), logit)) }
            candidates.sort { $0.logit > $1.logit || ($0.logit == $1.logit && $0.id < $1.id) }
            candidates.removeLast(candidates.count - k)
            return
        }
        var threshold = -Float.infinity
        for (i, logit) in logits.enumerated() where candidates.count < k || logit > threshold {
            var low = 0, high = candidates.count
            while low < high {
                let mid = (low + high) / 2
                if candidates[mid].logit >= logit { low = mid + 1 } else { high = mid }
            }
            candidates.insert((Int32(i), logit), at: low)
            if candidates.count > k { candidates.removeLast() }
            if candidates.count == k { threshold = candidates[k - 1].logit }
        }
    }

    /// Fills `probabilities` with the softmax of the candidates' logits, in the buffer kept from
    /// the last token, so that sampling allocates nothing per token.
    private mutating func softmaxOfCandidates(temperature: Float) {
        probabilities.removeAll(keepingCapacity: true)
        guard let maximum = candidates.lazy.map(\.logit).max() else { return }
        var sum: Float = 0
        for candidate in candidates {
            let e = expf((candidate.logit - maximum) / temperature)
            probabilities.append(e)
            sum += e
        }
        for i in probabilities.indices { probabilities[i] /= sum }
    }

    private mutating func applyPenalties(_ logits: UnsafeMutableBufferPointer<Float>) {
        let p = parameters
        guard !recent.isEmpty, p.repeatPenalty != 1 || p.frequencyPenalty != 0 || p.presencePenalty != 0 else { return }
        counts.removeAll(keepingCapacity: true)
        for token in recent { counts[token, default: 0] += 1 }
        for (token, count) in counts where Int(token) < logits.count {
            var logit = logits[Int(token)]
            if p.repeatPenalty != 1 { logit = logit > 0 ? logit / p.repeatPenalty : logit * p.repeatPenalty }
            logit -= Float(count) * p.frequencyPenalty + p.presencePenalty
            logits[Int(token)] = logit
        }
    }

    /// The index of the largest logit (the first on ties, as llama.cpp's greedy sampler).
    public static func argmax(_ logits: UnsafeMutableBufferPointer<Float>) -> Int32 {
        var best = 0
        var bestValue = -Float.infinity
        for (i, v) in logits.enumerated() where v > bestValue {
            best = i
            bestValue = v
        }
        return Int32(best)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
