import Foundation

/// Timings of the engine in llama-bench's terms: prompt processing (pp) and text generation (tg)
/// in tokens per second, and batched decoding of several sequences at once.
public struct EngineBenchmark {
    /// The model under test.
    public let model: LlamaModel

    /// A benchmark of `model`.
    public init(model: LlamaModel) {
        self.model = model
    }

    /// Tokens to feed: deterministic and spread over the vocabulary, like llama-bench's random ids.
    private func tokens(_ count: Int, seed: UInt64) -> [Int32] {
        var random = Xoshiro256(seed: seed)
        return (0..<count).map { _ in Int32(random.next() % UInt64(model.config.vocabularySize)) }
    }

    /// Seconds to process a `count`-token prompt in one pass into an empty cache.
    public func prefill(_ count: Int) throws -> Double {
        let cache = model.makeCache(contextLimit: count + 1)
        var batch = TokenBatch(capacity: count)
        batch.append(tokens(count, seed: 1), startPosition: 0)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: model.config.vocabularySize)
        defer { logits.deallocate() }
        let start = Date()
        try model.forward(batch, cache: cache, logits: logits)
        return Date().timeIntervalSince(start)
    }

    /// Seconds to generate `count` tokens one at a time, each from the previous token's logits,
    /// after a one-token prompt (llama-bench's tg).
    public func generate(_ count: Int) throws -> Double {
        try decode(sequences: 1, steps: count)
    }

    /// Seconds for `steps` decoding steps of `sequences` sequences together, one token each per
    /// step, in one forward pass per step: the work a continuously batched server does.
    public func decode(sequences: Int, steps: Int) throws -> Double {
        var start = Date()
        try decodeSteps(sequences: sequences, steps: steps) { step, _ in if step == 0 { start = Date() } }
        return Date().timeIntervalSince(start)
    }

    /// Decodes `steps` tokens one at a time, as `generate` does, with a pass of `probe` (whose thread count should
    /// be the model's) before the first token and after every token, and returns decode's share of the bandwidth
    /// each token found around it.
    public func decodeBandwidth(steps: Int, probe: ReadBandwidthProbe) throws -> DecodeBandwidth {
        precondition(steps >= 1, "at least one token to measure")
        let session = ReadBandwidthSession(probe: probe)
        _ = session.pass()  // warm-up: the pool's threads start and the buffer's pages settle
        var seconds: [Double] = [], rates: [Double] = []
        try decodeSteps(sequences: 1, steps: steps) { step, forward in
            if step > 0 { seconds.append(forward) }
            rates.append(session.pass().bytesPerSecond)
        }
        return DecodeBandwidth(bytesPerToken: model.weights.bytesPerToken, tokenSeconds: seconds, probeRates: rates)
    }

    /// A one-token prompt per sequence (step 0), then `steps` steps each feeding every sequence its greedy next
    /// token, in one forward pass per step; `after` gets each step's number and the seconds of its forward pass.
    private func decodeSteps(sequences: Int, steps: Int, after: (_ step: Int, _ seconds: Double) throws -> Void) throws {
        let cache = model.makeCache(contextLimit: steps + 2, slots: sequences)
        let vocabulary = model.config.vocabularySize
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: vocabulary * sequences)
        defer { logits.deallocate() }
        var batch = TokenBatch(capacity: sequences)
        var next = tokens(sequences, seed: 2)
        for step in 0...steps {
            if step > 0 {
                for slot in 0..<sequences {
                    next[slot] = Sampler.argmax(UnsafeMutableBufferPointer(start: logits + slot * vocabulary, count: vocabulary))
                }
            }
            batch.removeAll()
            for slot in 0..<sequences { batch.append(next[slot], position: step, slot: slot, wantsLogits: true) }
            let start = DispatchTime.now().uptimeNanoseconds
            try model.forward(batch, cache: cache, logits: logits)
            try after(step, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
    }

    /// Resident memory while a sequence of `positions` positions decodes, beside what the weights
    /// and the KV cache account for: the rest is scratch, the runtime and the tokenizer.
    public func memoryFootprint(positions: Int) throws -> MemoryFootprint {
        let positions = max(2, positions)
        let cache = model.makeCache(contextLimit: positions)
        let vocabulary = model.config.vocabularySize
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: vocabulary)
        defer { logits.deallocate() }
        var batch = TokenBatch(capacity: positions)
        batch.append(tokens(positions / 2, seed: 3), startPosition: 0)
        try model.forward(batch, cache: cache, logits: logits)
        for position in (positions / 2)..<positions {
            batch.removeAll()
            batch.append(Sampler.argmax(UnsafeMutableBufferPointer(start: logits, count: vocabulary)),
                         position: position, wantsLogits: true)
            try model.forward(batch, cache: cache, logits: logits)
        }
        return MemoryFootprint.current(weights: model.weights.totalBytes, kvCache: cache.bytesAllocated,
                                       modelFiles: model.weights.files)
            ?? MemoryFootprint(resident: Self.residentBytes() ?? 0, weights: model.weights.totalBytes,
                               kvCache: cache.bytesAllocated)
    }

    /// This process's resident set size (Linux: VmRSS of /proc/self/status), or nil where unknown.
    public static func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") else { return nil }
        return kilobytes * 1024
    }

    /// The machine's memory read bandwidth in bytes per second with `threads` threads streaming together (see
    /// `ReadBandwidthProbe`): the ceiling for decoding with that many threads.
    public static func readBandwidth(bytes: Int = 1 << 30, threads: Int = 1) -> Double {
        ReadBandwidthProbe(bytes: bytes, threads: threads).measure(passes: 5).bytesPerSecond
    }
}
