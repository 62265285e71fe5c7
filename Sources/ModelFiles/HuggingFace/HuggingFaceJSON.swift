import Foundation

/// Reading the JSON files of a Hugging Face folder, with errors that name the file.
public enum HuggingFaceJSON {
    /// The top-level object of the JSON file at `path`.
    public static func object(at path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CheckpointError.missingFile(path: path) }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CheckpointError.badJSON(path: path, reason: error.localizedDescription)
        }
        guard let object = json as? [String: Any] else { throw CheckpointError.badJSON(path: path, reason: "not a JSON object") }
        return object
    }

    /// Token ids given as one number or a list of numbers (`eos_token_id` is either); nil or null gives none.
    public static func ids(_ value: Any?) -> [Int]? {
        if let n = value as? NSNumber { return [n.intValue] }
        if let list = value as? [NSNumber] { return list.map(\.intValue) }
        return nil
    }
}
