import ArgumentParser
import Encoder
import Evaluation
import Foundation
import LLM
import MedQA
import ModelFiles
import Tokenizers

/// `biomed-r1 stratify`: label questions reasoning-heavy or knowledge-heavy, or train the head.
struct StratifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stratify",
        abstract: "Label each question reasoning-heavy or knowledge-heavy (BioMed-R1's stratification).",
        subcommands: [StratifyLabelCommand.self, StratifyTrainCommand.self],
        defaultSubcommand: StratifyLabelCommand.self)
}

/// `biomed-r1 stratify [--classifier FOLDER] FILE…`.
struct StratifyLabelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Label every question of benchmark files (or `mmlu-medical`); JSONL to stdout or -o, a summary per benchmark on stderr.")

    @ArgumentParser.Option(help: "A Hugging Face BertForSequenceClassification folder (config.json with id2label, model.safetensors, vocab.txt/tokenizer.json). Default: all-MiniLM-L6-v2 + the project's trained head.")
    var classifier: String?

    @ArgumentParser.Option(name: .shortAndLong, help: "Write the JSONL here instead of stdout.")
    var output: String?

    @ArgumentParser.Option(help: "Threads for the encoder.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @ArgumentParser.Option(help: "Also write the labels into this evaluation store: the items of these questions get the new split, probability and labeller (a dataset's own is_reasoning label stays).")
    var store: String?

    @ArgumentParser.Option(help: "With --store: only this run (name or identity); default every run in the store.")
    var run: String?

    @ArgumentParser.Option(help: "Also label with an LLM judge — an OpenAI-compatible server's base URL (http://…, asked through /v1/chat/completions), a GGUF file, or `default` for the embedded SmolLM2 — using the documented prompt (README, 'Stratification'), and report its agreement with the classifier.")
    var judge: String?

    @ArgumentParser.Option(help: "With --judge URL: the `model` name to send (default: the first the server lists at /v1/models).")
    var judgeModel: String?

    @ArgumentParser.Option(help: "Token budget of each judge reply.")
    var judgeMaxTokens: Int = 16

    @ArgumentParser.Option(help: "With --judge URL: requests in flight at once.")
    var judgeConcurrency: Int = 4

    @Argument(help: "Benchmark files in any importable format, or a catalog name (mmlu-medical).")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one benchmark FILE (or mmlu-medical)") }
        if judgeMaxTokens < 1 { throw ValidationError("--judge-max-tokens must be at least 1") }
        if judgeConcurrency < 1 { throw ValidationError("--judge-concurrency must be at least 1") }
        if run != nil, store == nil { throw ValidationError("--run needs --store") }
    }

    func run() async throws {
        let stratifier: Stratifier
        if let classifier {
            stratifier = try Stratifier(classifierFolder: URL(fileURLWithPath: classifier), threads: threads)
        } else {
            Terminal.error("stratify: all-MiniLM-L6-v2 + the project's head (fetched and cached on first use)")
            stratifier = try Stratifier.embeddedDefault(threads: threads, progress: FetchProgress.report)
        }
        let splitJudge = try await makeJudge()
        let resultStore = try store.map { try ResultStore(path: $0) }
        let runs = try resultStore.map { store in try run.map { [try store.run(named: $0)] } ?? store.runs() } ?? []
        var sink = ""
        for file in files {
            let questions: [Question]
            if let entry = BenchmarkCatalog.entry(named: file) {
                questions = try BenchmarkCatalog.load(entry)
            } else {
                questions = try BenchmarkFormat.load(URL(fileURLWithPath: file)).questions
            }
            let start = Date()
            let labels = stratifier.label(questions)
            let seconds = Date().timeIntervalSince(start)
            var verdicts: [SplitJudge.Verdict]?
            if let splitJudge {
                verdicts = try await splitJudge.label(questions)
            }
            var lines = ""
            for (n, (q, l)) in zip(questions, labels).enumerated() {
                var object: [String: Any] = ["benchmark": q.benchmark, "id": q.id, "label": l.split.rawValue,
                                             "probability": l.probability, "reasoningProbability": l.reasoningProbability]
                if let subject = q.subject { object["subject"] = subject }
                if let verdicts {
                    object["judge"] = verdicts[n].split?.rawValue ?? NSNull()
                    object["judgeReply"] = verdicts[n].reply
                }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                lines += String(decoding: data, as: UTF8.self) + "\n"
            }
            if output == nil { Terminal.out(lines) } else { sink += lines }
            let reasoning = labels.filter { $0.split == .reasoning }.count
            let share = questions.isEmpty ? 0 : 100 * Double(reasoning) / Double(questions.count)
            Terminal.error(String(format: "%@: %d questions, %d reasoning, %d knowledge (%.1f%% reasoning) by %@ in %.1f s",
                                  file as NSString, questions.count, reasoning, questions.count - reasoning, share,
                                  stratifier.labeller as NSString, seconds))
            if let resultStore {
                let stored = zip(questions, labels).compactMap { q, l -> QuestionLabel? in
                    guard q.splitSource != .dataset else { return nil }
                    return QuestionLabel(benchmark: q.benchmark, questionID: q.id, split: l.split.rawValue, source: SplitSource.stratifier.rawValue,
                                         reasoningProbability: l.reasoningProbability, labeller: stratifier.labeller)
                }
                for run in runs {
                    let changed = try resultStore.storeLabels(runID: run.id, labels: stored, replacingStratifierLabels: true)
                    Terminal.error("\(file): \(changed) items of run \(run.name) labelled in \(resultStore.path)")
                }
            }
            if let verdicts {
                let agreement = JudgeAgreement(judge: verdicts.map(\.split), classifier: labels.map(\.split))
                Terminal.errorRaw("\(file): \(agreement.summary)")
            }
        }
        if let output { try sink.write(toFile: output, atomically: true, encoding: .utf8) }
    }

    /// The LLM judge of `--judge`: an OpenAI-compatible server for a URL, else the embedded engine
    /// over a GGUF file (`default`: the embedded SmolLM2). Both decode greedily.
    func makeJudge() async throws -> SplitJudge? {
        guard let judge else { return nil }
        if judge.hasPrefix("http://") || judge.hasPrefix("https://") {
            guard let url = URL(string: judge) else { throw ValidationError("--judge '\(judge)' is not a valid URL") }
            let served: String
            if let judgeModel {
                served = judgeModel
            } else {
                guard let first = try await OpenAICompatibleBackend.servedModels(at: url).first else {
                    throw ValidationError("\(judge) lists no model at /v1/models; name one with --judge-model")
                }
                served = first
            }
            Terminal.error("stratify: judge \(served) at \(judge)")
            let backend = try OpenAICompatibleBackend(endpoints: [url], servedModel: served, renderer: nil, api: .chatCompletions,
                                                      maxConcurrency: judgeConcurrency)
            return SplitJudge(backend: backend, maxTokens: judgeMaxTokens)
        }
        let path = try ModelLocator().resolve(judge == "default" ? nil : judge, progress: FetchProgress.report).path
        Terminal.error("stratify: judge \(URL(fileURLWithPath: path).lastPathComponent) (embedded engine)")
        return SplitJudge(backend: try EmbeddedBackend(languageModel: LanguageModel(ggufPath: path, threads: threads)), maxTokens: judgeMaxTokens)
    }
}

/// `biomed-r1 stratify train LABELLED.jsonl [--encoder FOLDER] -o HEAD`.
struct StratifyTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a linear head on frozen sentence embeddings of a labelled set; print cross-validated accuracy, F1 and the confusion matrix.")

    @Argument(help: "JSONL with {\"text\", \"label\": \"reasoning\"|\"knowledge\"} per line (Data/stratifier/labelled.jsonl).")
    var labelled: String

    @ArgumentParser.Option(help: "A BERT folder in Hugging Face layout whose mean-pooled embeddings feed the head. Default: all-MiniLM-L6-v2.")
    var encoder: String?

    @ArgumentParser.Option(name: .shortAndLong, help: "Where to write the head (JSON).")
    var output: String

    @ArgumentParser.Option(help: "Cross-validation folds.")
    var folds: Int = 5

    @ArgumentParser.Option(help: "L2 regularisation strength.")
    var l2: Float = 1e-4

    @ArgumentParser.Option(help: "Threads for the encoder.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        let set = try LabelledQuestion.load(URL(fileURLWithPath: labelled))
        let folder = try encoder.map { URL(fileURLWithPath: $0) } ?? DefaultEncoder.folder()
        let bert = try BertEncoder(folder: folder, threads: threads)
        let name = encoder == nil ? "all-MiniLM-L6-v2 mean+L2" : "\(folder.lastPathComponent) mean+L2"
        let (head, metrics) = try Stratifier.train(set, encoder: bert, encoderName: name,
                                                   trainer: HeadTrainer(l2: l2), folds: folds)
        try head.write(to: URL(fileURLWithPath: output))
        Terminal.out("\(set.count) labelled questions, \(folds)-fold cross-validation:\n\(metrics.report)\n")
        var bySubject: [String: (Int, Int)] = [:]
        for q in set {
            var entry = bySubject[q.subject ?? "-"] ?? (0, 0)
            entry.0 += 1
            if q.label == .reasoning { entry.1 += 1 }
            bySubject[q.subject ?? "-"] = entry
        }
        Terminal.out("share of reasoning questions (labels):\n")
        for (subject, (n, r)) in bySubject.sorted(by: { $0.key < $1.key }) {
            Terminal.out(String(format: "  %@ %3d / %3d (%.0f%%)\n", subject.padding(toLength: 24, withPad: " ", startingAt: 0) as NSString, r, n, 100 * Double(r) / Double(n)))
        }
        Terminal.out("head written to \(output)\n")
    }
}
