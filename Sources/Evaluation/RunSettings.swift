import Foundation
import MedQA
import ModelFiles

/// Everything that decides what a run's items are and how they are answered. A run's identity is
/// the hash of these settings, so rerunning the same command finds the same run and resumes it, and
/// changing any of them (another model, an edited benchmark file, new prompt wording) starts a new one.
public struct RunSettings: Sendable, Codable, Hashable {
    /// Identifies the model: for a file, its name, size and a hash of its head and tail; for an
    /// endpoint, the served model name and the chat template's hash.
    public var model: String
    /// The benchmarks, each as `name` and the SHA-256 of its file.
    public var benchmarks: [BenchmarkIdentity]
    /// The prompt modes asked, in order.
    public var modes: [PromptMode]
    /// The adversarial variants asked; `nil` stands for the plain prompt.
    public var variants: [AdversarialVariant?]
    /// Seed of the sample and of the adversarial choices.
    public var seed: UInt64
    /// The sample size per benchmark (nil: every question).
    public var limit: Int?
    /// The token budget of each completion.
    public var maxTokens: Int
    /// `PromptWording`'s hash: new wording is a new run.
    public var promptHash: String

    /// Settings.
    public init(model: String, benchmarks: [BenchmarkIdentity], modes: [PromptMode], variants: [AdversarialVariant?],
                seed: UInt64, limit: Int?, maxTokens: Int, promptHash: String = PromptBuilder.promptHash(mode: .direct)) {
        self.model = model
        self.benchmarks = benchmarks
        self.modes = modes
        self.variants = variants
        self.seed = seed
        self.limit = limit
        self.maxTokens = maxTokens
        self.promptHash = promptHash
    }

    /// 16 hex digits of SHA-256 over the settings' canonical JSON (sorted keys).
    public var identity: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        var digest = SHA256()
        digest.update(Array(data))
        return String(digest.finalizeHex().prefix(16))
    }
}

/// A benchmark as part of a run's identity.
public struct BenchmarkIdentity: Sendable, Codable, Hashable {
    /// The benchmark's name.
    public var name: String
    /// SHA-256 of the file it was read from.
    public var fileHash: String
    /// An identity.
    public init(name: String, fileHash: String) {
        self.name = name
        self.fileHash = fileHash
    }
}

extension AdversarialVariant {
    /// The store's and reports' name of a variant, `none` for the plain prompt.
    public static func label(_ variant: AdversarialVariant?) -> String { variant?.rawValue ?? "none" }
}
