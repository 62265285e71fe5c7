import ArgumentParser
import LLM

/// Sampling settings shared by the generating commands.
struct SamplingOptions: ParsableArguments {
    @Option(name: [.customShort("n"), .long], help: "The most tokens to generate.")
    var maxTokens: Int = 512

    @Option(help: "Temperature; 0 is greedy and deterministic (default: the model's, else 0.8).")
    var temperature: Float?

    @Option(help: "Keep the k most likely tokens; 0: all (default: the model's, else 40).")
    var topK: Int?

    @Option(help: "Nucleus sampling threshold; 1: off (default: the model's, else 0.95).")
    var topP: Float?

    @Option(help: "Drop tokens below this fraction of the top probability; 0: off (default: the model's, else 0.05).")
    var minP: Float?

    @Option(help: "Penalty for tokens among the last 64; 1: off (default: the model's, else 1).")
    var repeatPenalty: Float?

    @Option(help: "Random seed (default: random).")
    var seed: UInt64?

    @Option(name: .customLong("stop"), help: "Stop when this string appears (repeatable).")
    var stops: [String] = []

    func validate() throws {
        guard maxTokens >= 0 else { throw ValidationError("--max-tokens must not be negative") }
        if let temperature, temperature < 0 { throw ValidationError("--temperature must not be negative") }
        if let topK, topK < 0 { throw ValidationError("--top-k must not be negative") }
        if let topP, !(0...1).contains(topP) { throw ValidationError("--top-p must be between 0 and 1") }
        if let minP, !(0...1).contains(minP) { throw ValidationError("--min-p must be between 0 and 1") }
        if let repeatPenalty, repeatPenalty <= 0 { throw ValidationError("--repeat-penalty must be positive") }
    }

    /// The engine's parameters: the flags given, and for those not given the model's recommended
    /// sampling (generation_config.json, `LanguageModel.recommendedSampling`) or, without one,
    /// llama.cpp's defaults.
    func parameters(recommended: SamplingParameters?) -> SamplingParameters {
        var p = recommended ?? SamplingParameters()
        p.seed = seed ?? UInt64.random(in: 0...UInt64.max)
        if let temperature { p.temperature = temperature }
        if let topK { p.topK = topK }
        if let topP { p.topP = topP }
        if let minP { p.minP = minP }
        if let repeatPenalty { p.repeatPenalty = repeatPenalty }
        return p
    }
}
