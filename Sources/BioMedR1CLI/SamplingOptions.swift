import ArgumentParser
import LLM

/// Sampling settings shared by the generating commands.
struct SamplingOptions: ParsableArguments {
    @Option(name: [.customShort("n"), .long], help: "The most tokens to generate.")
    var maxTokens: Int = 512

    @Option(help: "Temperature; 0 is greedy and deterministic.")
    var temperature: Float = 0.8

    @Option(help: "Keep the k most likely tokens (0: all).")
    var topK: Int = 40

    @Option(help: "Nucleus sampling threshold (1: off).")
    var topP: Float = 0.95

    @Option(help: "Drop tokens below this fraction of the top probability (0: off).")
    var minP: Float = 0.05

    @Option(help: "Penalty for tokens among the last 64 (1: off).")
    var repeatPenalty: Float = 1.0

    @Option(help: "Random seed (default: random).")
    var seed: UInt64?

    @Option(name: .customLong("stop"), help: "Stop when this string appears (repeatable).")
    var stops: [String] = []

    func validate() throws {
        guard maxTokens >= 0 else { throw ValidationError("--max-tokens must not be negative") }
        guard temperature >= 0 else { throw ValidationError("--temperature must not be negative") }
        guard topK >= 0 else { throw ValidationError("--top-k must not be negative") }
        guard (0...1).contains(topP) else { throw ValidationError("--top-p must be between 0 and 1") }
        guard (0...1).contains(minP) else { throw ValidationError("--min-p must be between 0 and 1") }
        guard repeatPenalty > 0 else { throw ValidationError("--repeat-penalty must be positive") }
    }

    /// The engine's parameters.
    var parameters: SamplingParameters {
        var p = SamplingParameters(seed: seed ?? UInt64.random(in: 0...UInt64.max))
        p.temperature = temperature
        p.topK = topK
        p.topP = topP
        p.minP = minP
        p.repeatPenalty = repeatPenalty
        return p
    }
}
