import Foundation

/// Resident memory of a decoding process against what its model needs.
public struct MemoryFootprint: Sendable {
    /// Resident bytes of the whole process.
    public var resident: Int
    /// Bytes of the weight matrices.
    public var weights: Int
    /// Bytes of the KV cache.
    public var kvCache: Int
    /// Resident bytes of the program's own files: the executable and the shared libraries (Swift runtime,
    /// Foundation, libc), a fixed cost whatever the model; nil where unknown.
    public var programFiles: Int?

    /// A footprint.
    public init(resident: Int, weights: Int, kvCache: Int, programFiles: Int? = nil) {
        self.resident = resident
        self.weights = weights
        self.kvCache = kvCache
        self.programFiles = programFiles
    }

    /// Resident memory beyond weights and cache, as a fraction of them.
    public var overhead: Double {
        let needed = weights + kvCache
        return needed > 0 ? Double(resident - needed) / Double(needed) : 0
    }

    /// What the engine keeps beyond weights and cache (scratch, tokenizer, model file metadata), leaving out
    /// the program's code, as a fraction of weights and cache; nil where the program's share is unknown.
    public var engineOverhead: Double? {
        guard let programFiles else { return nil }
        let needed = weights + kvCache
        return needed > 0 ? Double(resident - programFiles - needed) / Double(needed) : 0
    }

    /// This process's footprint now (Linux: /proc/self/smaps), with `modelFiles` (the paths of the mapped
    /// model files) counted as the model's, not the program's; nil where /proc is not available.
    public static func current(weights: Int, kvCache: Int, modelFiles: [String]) -> MemoryFootprint? {
        // Read to the end: /proc files report a size of 0, and a read sized by it stops early.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps"),
              let data = try? handle.readToEnd(), let smaps = String(data: data, encoding: .utf8) else { return nil }
        try? handle.close()
        var resident = 0, program = 0
        var fileBacked = false
        for line in smaps.split(separator: "\n") {
            if let first = line.first, first.isHexDigit, line.contains("-") {
                // A mapping's header: "start-end perms offset dev inode [path]".
                let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
                let path = fields.count == 6 ? fields[5].trimmingCharacters(in: .whitespaces) : ""
                fileBacked = path.hasPrefix("/") && !modelFiles.contains(where: { path.hasPrefix($0) })
            } else if line.hasPrefix("Rss:") {
                let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
                resident += kilobytes * 1024
                if fileBacked { program += kilobytes * 1024 }
            }
        }
        return MemoryFootprint(resident: resident, weights: weights, kvCache: kvCache, programFiles: program)
    }
}
