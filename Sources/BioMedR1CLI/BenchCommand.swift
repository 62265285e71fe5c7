import ArgumentParser
import Foundation
import LLM
import ModelFiles
import TensorNumerics

/// `biomed-r1 bench`: prompt and generation speed, like llama-bench.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prompt processing (pp) and generation (tg) tokens/s, like llama-bench.")

    @Option(name: .shortAndLong, help: "A GGUF file or Hugging Face folder, or omit for the embedded default.")
    var model: String?

    @Option(name: [.customShort("p"), .long], help: "Prompt tokens for pp (0: skip).")
    var prompt = 512

    @Option(name: [.customShort("n"), .long], help: "Generated tokens for tg (0: skip).")
    var generate = 128

    @Option(name: [.customShort("t"), .long], help: "Thread counts, comma-separated.")
    var threads = "\(ProcessInfo.processInfo.activeProcessorCount)"

    @Option(name: [.customShort("r"), .long], help: "Repetitions of each test.")
    var repetitions = 5

    @Option(name: [.customShort("b"), .long], help: "Also decode this many sequences together (batched tg).")
    var batch: Int?

    @Flag(help: "Measure the memory read bandwidth too, and what fraction of it decoding uses (-n more tokens, a probe pass around each).")
    var bandwidth = false

    @Flag(help: "Report resident memory while decoding against weights + KV cache.")
    var memory = false

    @Flag(help: "Measure the matrix kernels alone too (GB/s of weights, each instruction set).")
    var kernels = false

    @Flag(help: "Print JSON lines instead of a table.")
    var json = false

    func validate() throws {
        guard prompt >= 0, generate >= 0, repetitions >= 1 else {
            throw ValidationError("-p and -n must not be negative, -r must be at least 1")
        }
        guard parsedThreads.allSatisfy({ $0 >= 1 }), !parsedThreads.isEmpty else {
            throw ValidationError("-t takes thread counts such as 1,2")
        }
        if let batch, batch < 1 { throw ValidationError("-b must be at least 1") }
    }

    private var parsedThreads: [Int] {
        threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    func run() throws {
        let path = try ModelLocator().resolve(model, progress: FetchProgress.report).path
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        let gguf = isFolder.boolValue ? nil : try GGUFFile(path: path)
        let name = URL(fileURLWithPath: path).lastPathComponent
        if !json {
            Terminal.out("| model | test | threads | t/s (median) | min | max |\n|---|---|---:|---:|---:|---:|\n")
        }
        var probeRates: [Int: Double] = [:]
        var decodeLines: [String] = []
        var footprint: MemoryFootprint?
        for count in parsedThreads {
            let batchTokens = max(prompt, batch ?? 1, 1)
            let model = try gguf.map { try LlamaModel(gguf: $0, threads: count, maxBatchTokens: batchTokens) }
                ?? LlamaModel(folder: path, threads: count, maxBatchTokens: batchTokens)
            let bench = EngineBenchmark(model: model)
            var tests: [(String, Int, () throws -> Double)] = []
            if prompt > 0 { tests.append(("pp\(prompt)", prompt, { try bench.prefill(prompt) })) }
            if generate > 0 { tests.append(("tg\(generate)", generate, { try bench.generate(generate) })) }
            if let batch, generate > 0 {
                tests.append(("tg\(generate) x\(batch)", generate * batch, { try bench.decode(sequences: batch, steps: generate) }))
            }
            for (label, tokens, run) in tests {
                _ = try run()  // warm-up: pages in the weights, as llama-bench's warm-up run does
                var rates: [Double] = []
                for _ in 0..<repetitions { rates.append(Double(tokens) / (try run())) }
                rates.sort()
                let median = rates[rates.count / 2]
                if json {
                    Terminal.out(#"{"model": "\#(name)", "test": "\#(label)", "threads": \#(count), "median": \#(median), "min": \#(rates.first!), "max": \#(rates.last!)}"# + "\n")
                } else {
                    Terminal.out(String(format: "| %@ | %@ | %d | %.2f | %.2f | %.2f |\n", name, label, count, median, rates.first!, rates.last!))
                }
            }
            if bandwidth {
                let probe = ReadBandwidthProbe(threads: count)
                if generate > 0 {
                    let measured = try bench.decodeBandwidth(steps: generate, probe: probe)
                    probeRates[count] = measured.bestProbeBytesPerSecond
                    decodeLines.append(decodeLine(measured, threads: count))
                } else {
                    probeRates[count] = EngineBenchmark.readBandwidth(threads: count)
                }
            }
            if memory, footprint == nil { footprint = try bench.memoryFootprint(positions: max(2, prompt + generate)) }
        }
        if kernels { try benchKernels() }
        for count in parsedThreads where probeRates[count] != nil {
            let rate = probeRates[count]!
            Terminal.out(json ? #"{"test": "read-bandwidth", "threads": \#(count), "GBps": \#(rate / 1e9)}"# + "\n"
                : String(format: "memory read bandwidth (%d threads): %.1f GB/s\n", count, rate / 1e9))
        }
        decodeLines.forEach { Terminal.out($0 + "\n") }
        if let footprint {
            let mib = { (bytes: Int) in Double(bytes) / 1_048_576 }
            Terminal.out(json
                ? #"{"test": "memory", "resident": \#(footprint.resident), "weights": \#(footprint.weights), "kvCache": \#(footprint.kvCache), "programFiles": \#(footprint.programFiles.map(String.init) ?? "null")}"# + "\n"
                : String(format: "resident memory while decoding: %.1f MiB = weights %.1f MiB + KV cache %.1f MiB %+.1f%%\n",
                         mib(footprint.resident), mib(footprint.weights), mib(footprint.kvCache), 100 * footprint.overhead)
                    + (footprint.programFiles.map { program in
                        String(format: "  of which program code (executable, Swift runtime, Foundation, libc) %.1f MiB; without it %+.1f%%\n",
                               mib(program), 100 * (footprint.engineOverhead ?? 0))
                    } ?? ""))
        }
    }

    /// One line on decode's share of the bandwidth, `measured` token by token with `threads` threads.
    private func decodeLine(_ measured: DecodeBandwidth, threads: Int) -> String {
        let perToken = Double(measured.bytesPerToken)
        if json {
            return #"{"test": "decode-bandwidth", "threads": \#(threads), "tokens": \#(measured.tokens), "bytesPerToken": \#(measured.bytesPerToken), "GBps": \#(measured.decodeBytesPerSecond / 1e9), "probeGBps": \#(measured.probeBytesPerSecond / 1e9), "percent": \#(100 * measured.share)}"#
        }
        return String(format: "decode at %d threads reads %.2f GB/token: %.1f GB/s against %.1f GB/s from probe passes around each token, %.0f%% (medians of %d tokens)",
                      threads, perToken / 1e9, measured.decodeBytesPerSecond / 1e9, measured.probeBytesPerSecond / 1e9,
                      100 * measured.share, measured.tokens)
    }

    /// Weight bytes × tokens per second through `MatMul` on SmolLM2-135M's row width, 1 and 64 tokens, for each kernel instruction
    /// set this CPU has (0: the Swift kernels); 75 M weights, so that decode streams them from memory.
    private func benchKernels() throws {
        defer { KernelBenchmark.limitNativeLevel(nil) }
        let available = KernelBenchmark.nativeLevel
        for count in parsedThreads {
            let pool = ThreadPool(threadCount: count)
            for format in [TensorFormat.q8_0, .q4_1, .q4_0, .f16, .bf16, .f8e4m3] {
                for level in 0...available {
                    KernelBenchmark.limitNativeLevel(level)
                    for tokens in [1, 64] {
                        let rate = try KernelBenchmark.weightBytesPerSecond(
                            format, rows: 131_072, columns: 576, tokens: tokens, repetitions: tokens == 1 ? 10 : 3, pool: pool) / 1e9
                        Terminal.out(json
                            ? #"{"test": "kernel", "format": "\#(format)", "level": \#(level), "tokens": \#(tokens), "threads": \#(count), "GBps": \#(rate)}"# + "\n"
                            : String(format: "kernel %@ level %d tokens %d threads %d: %.1f GB/s (weight bytes × tokens)\n", "\(format)", level, tokens, count, rate))
                    }
                }
            }
        }
    }
}
