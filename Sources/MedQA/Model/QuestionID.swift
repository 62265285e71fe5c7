import ModelFiles

/// Ids for questions whose dataset gives none, and the rule that keeps ids unique within a file.
public enum QuestionID {
    /// `h` followed by 16 hex digits of SHA-256 over the benchmark, the stem and the lettered
    /// options: reruns of the same file give the same ids, and an edited question gets a new one.
    public static func derived(benchmark: String, text: String, options: [Option]) -> String {
        var canonical = benchmark + "\u{1F}" + text
        for option in options { canonical += "\u{1E}" + option.letter + "\u{1F}" + option.text }
        var digest = SHA256()
        digest.update(Array(canonical.utf8))
        return "h" + String(digest.finalizeHex().prefix(16))
    }

    /// Makes ids unique in file order: the second and later copies of an id get `#2`, `#3`, … .
    /// MMLU's test set, for one, holds a few verbatim duplicate questions; each is still a row to
    /// score, so duplicates are kept and told apart rather than dropped.
    public static func disambiguate(_ questions: [Question]) -> [Question] {
        var seen: [String: Int] = [:]
        return questions.map { question in
            let key = question.benchmark + "\u{1F}" + question.id
            let count = (seen[key] ?? 0) + 1
            seen[key] = count
            guard count > 1 else { return question }
            var copy = question
            copy.id = "\(question.id)#\(count)"
            return copy
        }
    }
}
