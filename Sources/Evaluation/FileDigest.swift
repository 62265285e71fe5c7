import Foundation
import ModelFiles

/// Hashes of files that go into a run's identity.
public enum FileDigest {
    /// SHA-256 of the whole file, read in 1 MiB chunks.
    public static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var digest = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { digest.update(chunk) }
        return digest.finalizeHex()
    }

    /// A model file's identity: its size and SHA-256 of its first and last MiB. Hashing every byte
    /// of an 8B model (16 GB) on each run would cost minutes; head and tail hold the metadata and
    /// the last tensors, so a different model or quantization changes it.
    public static func modelIdentity(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        var digest = SHA256()
        try handle.seek(toOffset: 0)
        digest.update(try handle.read(upToCount: 1 << 20) ?? Data())
        try handle.seek(toOffset: size > (1 << 20) ? size - (1 << 20) : 0)
        digest.update(try handle.read(upToCount: 1 << 20) ?? Data())
        return "\(url.lastPathComponent):\(size):\(digest.finalizeHex().prefix(16))"
    }
}
