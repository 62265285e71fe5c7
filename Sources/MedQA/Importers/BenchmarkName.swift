import Foundation

/// Benchmark names derived from file names, for formats whose rows do not say which benchmark they are.
enum BenchmarkName {
    /// The config a file belongs to: `medqa/test-00000-of-00001.jsonl` → `medqa` (Hugging Face's
    /// layout names shards after the split, so the folder is the config), `NEJM.jsonl` → `NEJM`.
    static func fromFile(_ url: URL) -> String {
        let stem = url.deletingPathExtension().lastPathComponent
        let splitPrefixes = ["test", "train", "validation", "dev", "val"]
        if splitPrefixes.contains(where: { stem == $0 || stem.hasPrefix($0 + "-") || stem.hasPrefix($0 + "_") }) {
            let folder = url.deletingLastPathComponent().lastPathComponent
            if !folder.isEmpty, folder != "/", folder != "." { return folder }
        }
        return stem
    }
}
