import Foundation

/// One row of a benchmark file as parsed JSON (or a CSV row turned into a dictionary), with where it
/// came from, and typed accessors that throw `ImportError`s naming the file, the row and the field.
public struct Record: @unchecked Sendable {
    /// The row's fields (values are what `JSONSerialization` produces: String, NSNumber, arrays, dictionaries, NSNull).
    public let fields: [String: Any]
    /// Where the row is.
    public let location: RowLocation
    /// The file's name, for messages.
    public let file: String

    /// A record.
    public init(fields: [String: Any], location: RowLocation, file: String) {
        self.fields = fields
        self.location = location
        self.file = file
    }

    /// Whether `field` is present and not null.
    public func has(_ field: String) -> Bool {
        guard let value = fields[field] else { return false }
        return !(value is NSNull)
    }

    /// The field's raw value, or a missing-field error.
    public func value(_ field: String) throws -> Any {
        guard let value = fields[field], !(value is NSNull) else {
            throw ImportError.missingField(file: file, location: location, field: field)
        }
        return value
    }

    /// A text field (numbers are accepted and written in decimal, since CSV exports and pandas turn
    /// some texts into numbers, e.g. an MMLU option `4`).
    public func string(_ field: String) throws -> String {
        let value = try value(field)
        if let text = value as? String { return text }
        if let number = value as? NSNumber, !Self.isBool(number) { return number.stringValue }
        throw invalid(field, value, "expected text")
    }

    /// A text field that must not be empty after trimming.
    public func nonEmptyString(_ field: String) throws -> String {
        let text = try string(field)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw invalid(field, text, "must not be empty")
        }
        return text
    }

    /// A text field, or nil when absent, null or empty.
    public func optionalString(_ field: String) -> String? {
        guard has(field), let text = try? string(field) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : text
    }

    /// An integer field (JSON numbers, or digit strings as CSV gives them).
    public func int(_ field: String) throws -> Int {
        let value = try value(field)
        if let number = value as? NSNumber, !Self.isBool(number), number.doubleValue == Double(number.intValue) {
            return number.intValue
        }
        if let text = value as? String, let number = Int(text.trimmingCharacters(in: .whitespaces)) { return number }
        throw invalid(field, value, "expected an integer")
    }

    /// A boolean field (JSON booleans, or `true`/`false`/`1`/`0` strings).
    public func bool(_ field: String) throws -> Bool {
        let value = try value(field)
        if let number = value as? NSNumber {
            if Self.isBool(number) { return number.boolValue }
            if number.intValue == 0 || number.intValue == 1 { return number.intValue == 1 }
        }
        if let text = value as? String {
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: break
            }
        }
        throw invalid(field, value, "expected true or false")
    }

    /// A floating-point field, or nil when absent.
    public func optionalDouble(_ field: String) throws -> Double? {
        guard has(field) else { return nil }
        let value = try value(field)
        if let number = value as? NSNumber, !Self.isBool(number) { return number.doubleValue }
        if let text = value as? String {
            if text.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
            if let number = Double(text) { return number }
        }
        throw invalid(field, value, "expected a number")
    }

    /// An error for a field with a value the format does not allow.
    public func invalid(_ field: String, _ value: Any, _ reason: String) -> ImportError {
        .invalidField(file: file, location: location, field: field, value: Self.render(value), reason: reason)
    }

    /// Checks that `letter` is one of `options`' letters.
    public func checkAnswer(_ letter: String, among options: [Option], field: String) throws -> String {
        guard options.contains(where: { $0.letter == letter }) else {
            throw ImportError.answerNotAmongOptions(
                file: file, location: location, field: field, answer: letter, letters: options.map(\.letter))
        }
        return letter
    }

    static func isBool(_ number: NSNumber) -> Bool {
        // JSON booleans come back as NSNumber too (and `as? Bool` accepts any 0 or 1); only the
        // boxing class tells them apart, on Linux and Darwin alike.
        String(describing: type(of: number)).contains("Boolean")
    }

    static func render(_ value: Any) -> String {
        if let text = value as? String { return text }
        if let number = value as? NSNumber { return number.stringValue }
        if value is NSNull { return "null" }
        if JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(value)"
    }
}
