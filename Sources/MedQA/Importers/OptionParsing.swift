import Foundation

/// Turning the shapes in which benchmarks publish options and answers into `Option`s and letters.
enum OptionParsing {
    /// Options from a dictionary keyed by letter (`{"A": "…", "B": "…"}`), in letter order.
    static func fromDictionary(_ dictionary: [String: Any], record: Record, field: String) throws -> [Option] {
        var options: [Option] = []
        for (key, value) in dictionary {
            let letter = key.trimmingCharacters(in: .whitespaces).uppercased()
            guard letter.count == 1, Option.letters.contains(letter) else {
                throw record.invalid(field, dictionary, "option key \"\(key)\" is not a letter A–Z")
            }
            let text: String
            if let string = value as? String {
                text = string
            } else if let number = value as? NSNumber {
                text = number.stringValue
            } else {
                throw record.invalid(field, dictionary, "option \(letter) is not text")
            }
            options.append(Option(letter: letter, text: text))
        }
        return try checked(options.sorted { $0.letter < $1.letter }, record: record, field: field)
    }

    /// Options from the field `field`, which holds a dictionary or a JSON string of one (BioMed-R1-Eval's form).
    static func fromDictionaryOrJSONString(record: Record, field: String) throws -> [Option] {
        let value = try record.value(field)
        if let dictionary = value as? [String: Any] {
            return try fromDictionary(dictionary, record: record, field: field)
        }
        guard let text = value as? String else {
            throw record.invalid(field, value, "expected a JSON object mapping letters to option texts")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
            let dictionary = object as? [String: Any]
        else {
            throw record.invalid(field, text, "expected a JSON string of an object mapping letters to option texts")
        }
        return try fromDictionary(dictionary, record: record, field: field)
    }

    /// Options from a list, lettered A, B, … in list order.
    static func fromList(_ texts: [String], record: Record, field: String) throws -> [Option] {
        guard texts.count <= Option.letters.count else {
            throw record.invalid(field, texts, "more than \(Option.letters.count) options")
        }
        return try checked(
            zip(Option.letters, texts).map { Option(letter: $0, text: $1) }, record: record, field: field)
    }

    /// A letter written as `C`, `c`, `(C)` or `C.`, uppercased; nil if `text` is not one letter.
    static func letter(_ text: String) -> String? {
        var trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("("), trimmed.hasSuffix(")") { trimmed = String(trimmed.dropFirst().dropLast()) }
        if trimmed.hasSuffix(".") || trimmed.hasSuffix(")") { trimmed = String(trimmed.dropLast()) }
        let upper = trimmed.uppercased()
        return upper.count == 1 && Option.letters.contains(upper) ? upper : nil
    }

    /// Text compared loosely: lowercased, whitespace collapsed, trailing period dropped.
    static func normalized(_ text: String) -> String {
        var words = text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        while words.hasSuffix(".") { words.removeLast() }
        return words
    }

    /// The letter an answer field names: a letter among the options, or the exact (loosely
    /// compared) text of exactly one option.
    static func answerLetter(_ answer: String, options: [Option], record: Record, field: String) throws -> String {
        if let letter = letter(answer) {
            return try record.checkAnswer(letter, among: options, field: field)
        }
        let wanted = normalized(answer)
        let matches = options.filter { normalized($0.text) == wanted }
        guard matches.count == 1 else {
            throw ImportError.answerNotAmongOptions(
                file: record.file, location: record.location, field: field, answer: answer, letters: options.map(\.letter))
        }
        return matches[0].letter
    }

    private static func checked(_ options: [Option], record: Record, field: String) throws -> [Option] {
        guard options.count >= 2 else {
            throw record.invalid(field, options.map(\.text), "a question needs at least two options")
        }
        return options
    }
}
