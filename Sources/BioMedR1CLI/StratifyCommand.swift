import ArgumentParser
import Encoder
import Foundation
import LLM
import MedQA
import ModelFiles
import Tokenizers

/// `biomed-r1 stratify`: label questions reasoning-heavy or knowledge-heavy, or train the head.
struct StratifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stratify",
        abstract: "Label each question reasoning-heavy or knowledge-heavy (BioMed-R1's stratification).",
        subcommands: [StratifyLabelCommand.self, StratifyTrainCommand.self],
        defaultSubcommand: StratifyLabelCommand.self)
}

/// `biomed-r1 stratify [--classifier FOLDER] FILE…`.
struct StratifyLabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Label every question of benchmark files (or `mmlu-medical`); JSONL to stdout or -o, a summary per benchmark on stderr.")

    @ArgumentParser.Option(help: "A Hugging Face BertForSequenceClassification folder (config.json with id2label, model.safetensors, vocab.txt/tokenizer.json). Default: all-MiniLM-L6-v2 + the project's trained head.")
    var classifier: String?

    @ArgumentParser.Option(name: .shortAndLong, help: "Write the JSONL here instead of stdout.")
    var output: String?

    @ArgumentParser.Option(help: "Threads for the encoder.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @ArgumentParser.Option(help: "Also label with an LLM judge (a GGUF file, or `default` for the embedded SmolLM2) using the documented prompt (StratifierJudge), and report its agreement with the classifier.")
    var judge: String?

    @Argument(help: "Benchmark files in any importable format, or a catalog name (mmlu-medical).")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one benchmark FILE (or mmlu-medical)") }
    }

    func run() throws {
        let stratifier: Stratifier
        if let classifier {
            stratifier = try Stratifier(classifierFolder: URL(fileURLWithPath: classifier), threads: threads)
        } else {
            Terminal.error("stratify: all-MiniLM-L6-v2 + the project's head (fetched and cached on first use)")
            stratifier = try Stratifier.embeddedDefault(threads: threads)
        }
        let judgeModel = try judge.map { name in
            try LanguageModel(ggufPath: ModelLocator().resolve(name == "default" ? nil : name, progress: FetchProgress.report).path,
                              threads: threads)
        }
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
            let verdicts = try judgeModel.map { lm in try questions.map { try Self.judge($0, with: lm) } }
            var lines = ""
            for (n, (q, l)) in zip(questions, labels).enumerated() {
                var object: [String: Any] = ["benchmark": q.benchmark, "id": q.id, "label": l.split.rawValue,
                                             "probability": l.probability, "reasoningProbability": l.reasoningProbability]
                if let subject = q.subject { object["subject"] = subject }
                if let verdicts { object["judge"] = verdicts[n]?.rawValue ?? NSNull() }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                lines += String(decoding: data, as: UTF8.self) + "\n"
            }
            if output == nil { Terminal.out(lines) } else { sink += lines }
            let reasoning = labels.filter { $0.split == .reasoning }.count
            let share = questions.isEmpty ? 0 : 100 * Double(reasoning) / Double(questions.count)
            Terminal.error(String(format: "%@: %d questions, %d reasoning, %d knowledge (%.1f%% reasoning) by %@ in %.1f s",
                                  file as NSString, questions.count, reasoning, questions.count - reasoning, share,
                                  stratifier.name as NSString, seconds))
            if let verdicts {
                let a = JudgeAgreement(judge: verdicts, classifier: labels.map(\.split))
                Terminal.error(String(format: "%@: judge agrees with the classifier on %d of %d (%.1f%%), Cohen's kappa %.2f, %d unparsed replies",
                                      file as NSString, a.agreed, a.compared, 100 * a.rate, a.kappa, a.unparsed))
            }
        }
        if let output { try sink.write(toFile: output, atomically: true, encoding: .utf8) }
    }

    /// One greedy judge reply: a few tokens are enough for a one-word answer.
    static func judge(_ question: Question, with lm: LanguageModel) throws -> Split? {
        let messages = StratifierJudge.messages(for: question).map { ChatMessage(role: $0.role, content: $0.content) }
        let session = GenerationSession(languageModel: lm)
        let result = try session.generate(prompt: lm.encodePrompt(try lm.renderChat(messages)), maxTokens: 8, sampling: .greedy)
        return StratifierJudge.verdict(in: result.text)
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
