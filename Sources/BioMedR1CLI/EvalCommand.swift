import ArgumentParser
import Evaluation
import Foundation
import LLM
import MedQA





import ModelFiles

/// `biomed-r1 eval`: plain and adversarial accuracy of a model on medical benchmarks, resumable.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a model on medical multiple-choice benchmarks, plain and adversarial; resumes an interrupted run.",
        discussion: """
        With no arguments: the demo — the embedded model on a seeded sample of 100 questions of \
        mmlu-medical, plain and with an adversarial prefill, direct answers, then the report table.
        """)

    @OptionGroup var modelOptions: ModelOptions

    @ArgumentParser.Option(help: "An OpenAI-compatible server's base URL (e.g. http://127.0.0.1:8080) instead of the embedded engine; repeatable, requests go round-robin.")
    var endpoint: [String] = []

    @ArgumentParser.Option(help: "With --endpoint: the `model` name to send (default: the model file's name).")
    var servedModel: String?

    @ArgumentParser.Option(help: "With --endpoint: the chat template, a GGUF or Jinja file (default: the --model file's, or the embedded model's).")
    var template: String?

    @ArgumentParser.Option(help: "With --endpoint: completions (render the prompt here, POST /v1/completions) or chat (POST /v1/chat/completions).")
    var api: String = "completions"

    @ArgumentParser.Option(help: "With --endpoint: seconds before a request times out.")
    var timeout: Double = 600

    @ArgumentParser.Option(name: .long, help: "A benchmark file, or a known name (\(BenchmarkCatalog.entries.map(\.name).joined(separator: ", "))); repeatable. Default: mmlu-medical, sampled to 100 questions.")
    var benchmark: [String] = []

    @ArgumentParser.Option(help: "Read benchmark files as this format instead of detecting it (\(BenchmarkFormat.names.joined(separator: ", "))).")
    var format: String?

    @ArgumentParser.Option(help: "direct (answer with the letter) or reasoning (think step by step); repeatable.")
    var mode: [String] = []

    @ArgumentParser.Option(help: "none, prefill, reconsider or all: the adversarial variants run besides the plain prompt.")
    var adversarial: String = "prefill"

    @ArgumentParser.Option(help: "Seeded, subject-stratified sample of N questions per benchmark (default: all; 100 for the demo).")
    var limit: Int?

    @ArgumentParser.Option(help: "Seed of the sample and of the adversarial choices.")
    var seed: UInt64 = 0

    @ArgumentParser.Option(help: "Requests in flight at once (default: 8, decoded in one batch, on the embedded engine; 4 per endpoint).")
    var concurrency: Int?

    @ArgumentParser.Option(help: "Token budget per answer (default: 24 in direct mode, 1024 in reasoning mode).")
    var maxTokens: Int?

    @ArgumentParser.Option(help: "A name for the run (default: its identity, a hash of the settings).")
    var run: String?

    @ArgumentParser.Option(help: "The result store, an SQLite file.")
    var store: String = "biomed-r1-results.sqlite"

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        let modes = try (mode.isEmpty ? ["direct"] : mode).map { name in
            guard let mode = PromptMode(rawValue: name) else { throw ValidationError("--mode must be direct or reasoning, not '\(name)'") }
            return mode
        }
        let variants: [AdversarialVariant?]
        switch adversarial {
        case "none": variants = [nil]
        case "prefill": variants = [nil, .prefill]
        case "reconsider": variants = [nil, .reconsider]
        case "all": variants = [nil, .prefill, .reconsider]
        default: throw ValidationError("--adversarial must be none, prefill, reconsider or all, not '\(adversarial)'")
        }
        let forcedFormat = try format.map { name in
            guard let format = BenchmarkFormat(rawValue: name) else {
                throw ValidationError("unknown --format '\(name)'; known: \(BenchmarkFormat.names.joined(separator: ", "))")
            }
            return format
        }
        let demo = benchmark.isEmpty
        let benchmarks = try (demo ? [BenchmarkCatalog.defaultEntry.name] : benchmark).map {
            try LoadedBenchmark.load($0, format: forcedFormat, progress: FetchProgress.report)
        }
        let store = try ResultStore(path: store)
        let backend = try makeBackend()
        let settings = RunSettings(
            model: backend.modelIdentity, benchmarks: benchmarks.map(\.identity), modes: modes, variants: variants,
            seed: seed, limit: limit ?? (demo ? 100 : nil),
            maxTokens: maxTokens ?? (modes.contains(.reasoning) ? 1024 : 24),
            promptHash: modes.map { PromptBuilder.promptHash(mode: $0) }.joined(separator: "+"))
        let runner = EvaluationRunner(backend: backend, store: store, concurrency: concurrency ?? backend.maxConcurrency)
        let display = ProgressDisplay()
        let started = Date()
        let result = try await runner.run(name: run, settings: settings, benchmarks: benchmarks) { display.show($0) }
        display.finish()
        Terminal.error(String(format: "finished in %.1f s; store %@, run %@", Date().timeIntervalSince(started), store.path, result.name))
        let report = Report(runs: [(result, try store.items(runID: result.id))])
        Terminal.out(report.table)
    }

    /// The embedded engine, or the HTTP backend when `--endpoint` is given.
    func makeBackend() throws -> any Backend {
        guard !endpoint.isEmpty else {
            return try EmbeddedBackend(languageModel: try modelOptions.load(), contextLimit: modelOptions.ctx,
                                       slots: concurrency ?? 8)
        }
        guard let api = OpenAICompatibleBackend.API(rawValue: api) else {
            throw ValidationError("--api must be completions or chat, not '\(api)'")
        }
        let urls = try endpoint.map { text in
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
                throw ValidationError("--endpoint '\(text)' is not an http(s) URL")
            }
            return url
        }
        let templateFile = try template.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: modelOptions.resolvedPath())
        let renderer = try PromptRenderer(templateFile: templateFile)
        return try OpenAICompatibleBackend(
            endpoints: urls, servedModel: servedModel ?? templateFile.deletingPathExtension().lastPathComponent, renderer: renderer,
            api: api, maxConcurrency: concurrency ?? 4, timeout: timeout)
    }
}
