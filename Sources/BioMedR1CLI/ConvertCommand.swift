import ArgumentParser
import Foundation
import LLM

/// `biomed-r1 convert`: a Hugging Face folder to a GGUF file that this engine and llama.cpp load.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a Hugging Face Llama folder (bf16, f16, f32 or FP8 safetensors) to GGUF.")

    @Argument(help: "The Hugging Face model folder (config.json, *.safetensors, tokenizer.json or tokenizer.model, tokenizer_config.json).")
    var folder: String

    @Option(name: .customLong("type"), help: """
        Matrix format: q8_0, q4_k, f16, bf16 or f32. q4_k writes the output head in Q8_0 and rows that \
        are not whole 256-value blocks in Q5_0 (see LlamaGGUFConverter.matrixFormat).
        """)
    var type = "q8_0"

    @Option(help: "Threads that quantize rows (default: all cores).")
    var threads: Int?

    @Option(name: .shortAndLong, help: "The GGUF file to write.")
    var output: String

    func validate() throws {
        guard LlamaGGUFConverter.targets[type.lowercased()] != nil else {
            throw ValidationError("--type must be one of \(LlamaGGUFConverter.targets.keys.sorted().joined(separator: ", "))")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let start = Date()
        try LlamaGGUFConverter.convert(folder: folder, to: LlamaGGUFConverter.targets[type.lowercased()]!,
                                       output: URL(fileURLWithPath: output),
                                       threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        FileHandle.standardError.write(Data("wrote \(output) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s\n".utf8))
    }
}
