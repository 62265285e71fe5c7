import Foundation

/// What can go wrong in setting up an evaluation.
public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    /// Neither a known benchmark name nor an existing file.
    case unknownBenchmark(String, known: [String])
    /// The file holds no questions.
    case emptyBenchmark(path: String)
    /// Settings that cannot run.
    case invalidSettings(String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .unknownBenchmark(let name, let known):
            "'\(name)' is neither a benchmark file nor a known benchmark name (known: \(known.joined(separator: ", ")))"
        case .emptyBenchmark(let path):
            "\(path) holds no questions"
        case .invalidSettings(let message):
            message
        }
    }
}
