import LLM

/// The fields both generation endpoints share: token budget, sampling, stops, `n`, streaming.
/// Absent sampling fields take the model's recommended sampling, else llama.cpp's defaults.
struct GenerationOptions: Decodable, Sendable {
    var maxTokens: Int?
    var temperature: Double?
    var topP: Double?
    var topK: Int?
    var minP: Double?
    var repetitionPenalty: Double?
    var frequencyPenalty: Double?
    var presencePenalty: Double?
    var seed: Int64?
    var stop: [String] = []
    var n: Int = 1
    var stream = false
    var includeUsage = false

    /// The most choices one request may ask for.
    static let maxChoices = 16
    /// The most stop strings one request may give.
    static let maxStops = 16

    private enum CodingKeys: String, CodingKey {
        case maxTokens = "max_tokens", maxCompletionTokens = "max_completion_tokens", nPredict = "n_predict"
        case temperature, topP = "top_p", topK = "top_k", minP = "min_p"
        case repetitionPenalty = "repetition_penalty", repeatPenalty = "repeat_penalty"
        case frequencyPenalty = "frequency_penalty", presencePenalty = "presence_penalty"
        case seed, stop, n, stream, streamOptions = "stream_options"
    }

    private struct StreamOptions: Decodable {
        var includeUsage: Bool?
        private enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxTokens = try c.decodeInteger(Int.self, forKey: .maxCompletionTokens)
            ?? c.decodeInteger(Int.self, forKey: .maxTokens)
            ?? c.decodeInteger(Int.self, forKey: .nPredict)
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
        topP = try c.decodeIfPresent(Double.self, forKey: .topP)
        topK = try c.decodeInteger(Int.self, forKey: .topK)
        minP = try c.decodeIfPresent(Double.self, forKey: .minP)
        repetitionPenalty = try c.decodeIfPresent(Double.self, forKey: .repetitionPenalty)
            ?? c.decodeIfPresent(Double.self, forKey: .repeatPenalty)
        frequencyPenalty = try c.decodeIfPresent(Double.self, forKey: .frequencyPenalty)
        presencePenalty = try c.decodeIfPresent(Double.self, forKey: .presencePenalty)
        seed = try c.decodeInteger(Int64.self, forKey: .seed)
        stop = try c.decodeIfPresent(StopSequences.self, forKey: .stop)?.values ?? []
        n = try c.decodeInteger(Int.self, forKey: .n) ?? 1
        stream = try c.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        includeUsage = try c.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)?.includeUsage ?? false
    }

    /// Checks every field's range, naming the field at fault; `max_tokens` may be 0 only where `fewestTokens` is.
    func validate(contextLimit: Int, fewestTokens: Int = 1) throws {
        if let maxTokens {
            guard maxTokens >= fewestTokens else {
                let reason = fewestTokens == 0 ? "must not be negative" : "must be at least \(fewestTokens)"
                throw APIError.invalidRequest("max_tokens \(reason), got \(maxTokens)", param: "max_tokens")
            }
            guard maxTokens <= contextLimit else {
                throw APIError.invalidRequest(
                    "max_tokens is \(maxTokens) but the context holds \(contextLimit) tokens in all", param: "max_tokens",
                    code: "context_length_exceeded")
            }
        }
        try Self.check(temperature, "temperature", in: 0...2)
        try Self.check(topP, "top_p", in: 0...1)
        try Self.check(minP, "min_p", in: 0...1)
        try Self.check(frequencyPenalty, "frequency_penalty", in: -2...2)
        try Self.check(presencePenalty, "presence_penalty", in: -2...2)
        try Self.check(repetitionPenalty, "repetition_penalty", in: 0.01...10)
        if let topK, topK < -1 {
            throw APIError.invalidRequest("top_k must be -1 or 0 (all tokens) or positive, got \(topK)", param: "top_k")
        }
        guard (1...Self.maxChoices).contains(n) else {
            throw APIError.invalidRequest("n must be between 1 and \(Self.maxChoices), got \(n)", param: "n")
        }
        guard stop.count <= Self.maxStops else {
            throw APIError.invalidRequest("stop holds \(stop.count) strings; at most \(Self.maxStops) are allowed", param: "stop")
        }
        guard !stop.contains("") else { throw APIError.invalidRequest("stop strings must not be empty", param: "stop") }
    }

    private static func check(_ value: Double?, _ name: String, in range: ClosedRange<Double>) throws {
        guard let value else { return }
        guard value.isFinite, range.contains(value) else {
            throw APIError.invalidRequest("\(name) must be between \(range.lowerBound) and \(range.upperBound), got \(value)", param: name)
        }
    }

    /// The engine's sampling for choice `index` (choice i uses seed + i, so `n` choices differ but
    /// each is reproducible).
    func sampling(base: SamplingParameters, seed baseSeed: UInt64, index: Int) -> SamplingParameters {
        var p = base
        if let temperature { p.temperature = Float(temperature) }
        if let topP { p.topP = Float(topP) }
        if let topK { p.topK = max(0, topK) }
        if let minP { p.minP = Float(minP) }
        if let repetitionPenalty { p.repeatPenalty = Float(repetitionPenalty) }
        if let frequencyPenalty { p.frequencyPenalty = Float(frequencyPenalty) }
        if let presencePenalty { p.presencePenalty = Float(presencePenalty) }
        p.seed = baseSeed &+ UInt64(index)
        return p
    }

    /// The seed of the first choice: the request's, or a random one.
    var baseSeed: UInt64 {
        seed.map { UInt64(bitPattern: $0) } ?? UInt64.random(in: 0...UInt64.max)
    }
}
