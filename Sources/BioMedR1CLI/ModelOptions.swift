import ArgumentParser
import Foundation
import LLM
import ModelFiles

/// Which model to load and how.
struct ModelOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "A GGUF file or a Hugging Face folder, or omit for the embedded default (SmolLM2-135M-Instruct, fetched on first use).")
    var model: String?

    @Option(name: [.customShort("t"), .long], help: "Threads for the matrix work (default: all cores).")
    var threads: Int?

    @Option(help: "Context length in tokens, up to the model's (default: the model's).")
    var ctx: Int?

    /// The resolved model file, fetching the default with a progress line if needed.
    func resolvedPath() throws -> String {
        try ModelLocator().resolve(model, progress: FetchProgress.report).path
    }

    /// Loads the model.
    func load() throws -> LanguageModel {
        let path = try resolvedPath()
        let count = threads ?? ProcessInfo.processInfo.activeProcessorCount
        guard count >= 1 else { throw ValidationError("--threads must be at least 1") }
        let lm = try LanguageModel(path: path, threads: count)
        if let ctx {
            let limit = lm.model.config.contextLength
            // Positions past the trained length have RoPE angles the model never saw: refuse rather than degrade silently.
            guard ctx >= 1, ctx <= limit else {
                throw ValidationError("--ctx must be between 1 and \(limit), the context length \(lm.name) was trained for")
            }
        }
        return lm
    }
}
