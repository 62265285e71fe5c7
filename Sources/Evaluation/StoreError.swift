import Foundation

/// What can go wrong with the result store.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The file exists but is not an SQLite database.
    case notSQLite(path: String)
    /// No run has this name or identity.
    case unknownRun(name: String, known: [String])
    /// A name matches several runs.
    case ambiguousRun(name: String, matches: [String])
    /// SQLite failed.
    case database(path: String, message: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .notSQLite(let path):
            "\(path) is not a result store (not an SQLite database); pass another --store file or move this one away"
        case .unknownRun(let name, let known):
            "no run named '\(name)' in the store" + (known.isEmpty ? " (it holds no runs yet; run `biomed-r1 eval` first)" : "; known runs: \(known.joined(separator: ", "))")
        case .ambiguousRun(let name, let matches):
            "'\(name)' names several runs (\(matches.joined(separator: ", "))); use the run identity instead"
        case .database(let path, let message):
            "result store \(path): \(message)"
        }
    }
}
