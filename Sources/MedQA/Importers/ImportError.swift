/// Why a benchmark file could not be imported. Every case names the file and, for a bad row, where
/// it is and which field is wrong: a question is never dropped silently.
public enum ImportError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid JSON / JSONL / CSV at `location`.
    case malformed(file: String, location: RowLocation?, reason: String)
    /// A row lacks a field the format needs.
    case missingField(file: String, location: RowLocation, field: String)
    /// A field holds a value the format does not allow.
    case invalidField(file: String, location: RowLocation, field: String, value: String, reason: String)
    /// The answer is not among the question's options.
    case answerNotAmongOptions(file: String, location: RowLocation, field: String, answer: String, letters: [String])
    /// The file's shape matches none of the known formats.
    case unknownFormat(file: String, known: [String])
    /// The file's shape matches several formats; `--format` must pick one.
    case ambiguousFormat(file: String, candidates: [String])
    /// The file holds no rows at all.
    case empty(file: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read \(file): \(reason)"
        case .malformed(let file, let location?, let reason):
            return "\(file), \(location): not valid: \(reason). Fix or remove that row."
        case .malformed(let file, nil, let reason):
            return "\(file): not valid: \(reason)"
        case .missingField(let file, let location, let field):
            return "\(file), \(location): the row has no `\(field)` field, which this format needs. Is it the right --format?"
        case .invalidField(let file, let location, let field, let value, let reason):
            return "\(file), \(location): field `\(field)` = \(Self.quoted(value)): \(reason)"
        case .answerNotAmongOptions(let file, let location, let field, let answer, let letters):
            return "\(file), \(location): field `\(field)` = \(Self.quoted(answer)) is not one of the options \(letters.joined(separator: ", "))"
        case .unknownFormat(let file, let known):
            return "\(file): cannot tell which benchmark format this is. Known formats: \(known.joined(separator: ", ")). Pass --format NAME to force one."
        case .ambiguousFormat(let file, let candidates):
            return "\(file): the rows fit several formats (\(candidates.joined(separator: ", "))). Pass --format NAME to pick one."
        case .empty(let file):
            return "\(file): the file holds no questions"
        }
    }

    private static func quoted(_ value: String) -> String {
        let short = value.count > 80 ? String(value.prefix(77)) + "…" : value
        return "\"\(short)\""
    }
}
