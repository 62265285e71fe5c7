import Foundation

/// Reads the chosen option letter out of a model's completion.
///
/// Forms are grouped in tiers (`ExtractionRule.tier`): explicit answers (`\boxed{C}`,
/// `<answer>C</answer>`, "the answer is C", "Answer: C", "C is correct", "I'll go with C",
/// "not A but C", an answer marker followed by an option's text), then weaker forms ("**C. text**",
/// a "C)" line outside an option list, "Option C" outside a negative context, a line that is only
/// a letter), then the completion or its last line being one option's text. The first tier with a
/// match decides, and within it the *last* match wins, since models restate and revise.
///
/// Tiers exist because reasoning walks through options ("Option A is wrong because…") long before
/// it states an answer: a mention must not outrank a statement just by coming later.
///
/// A letter that is not one of the options is not an answer. Lowercase letters count only where
/// they cannot be the English article ("answer: c.", "(c)", `\boxed{c}`), and "A"/"I" followed by a
/// word ("A 45-year-old", "I think") are words, not answers. When the completion has a
/// `</think>`, the text after it is searched first and the reasoning only if that finds nothing.
/// No match returns nil: the item is unparsed and scored wrong.
public struct AnswerExtractor: Sendable {
    /// An extractor.
    public init() {}

    /// The answer in `completion` to a question with `options`, or nil.
    public func extract(_ completion: String, options: [Option]) -> ExtractedAnswer? {
        let letters = Set(options.map(\.letter))
        if let close = completion.range(of: "</think>", options: .backwards) {
            let after = String(completion[close.upperBound...])
            if let answer = search(after, options: options, letters: letters) { return answer }
            return search(String(completion[..<close.lowerBound]), options: options, letters: letters)
        }
        return search(completion, options: options, letters: letters)
    }

    /// The letter only, for callers that do not need the rule.
    public func letter(in completion: String, options: [Option]) -> String? {
        extract(completion, options: options)?.letter
    }

    private func search(_ text: String, options: [Option], letters: Set<String>) -> ExtractedAnswer? {
        let scan = Scan(text: text as NSString, options: options, letters: letters)
        for tier in [scan.explicit(), scan.weak(), scan.optionText()] {
            if let best = tier.filter({ letters.contains($0.letter) }).max(by: { $0.position < $1.position }) {
                return best
            }
        }
        return nil
    }
}

/// One search over one text.
private struct Scan {
    let text: NSString
    let options: [Option]
    let letters: Set<String>

    var whole: NSRange { NSRange(location: 0, length: text.length) }

    // MARK: Tier 1

    func explicit() -> [ExtractedAnswer] {
        var found: [ExtractedAnswer] = []
        found += boxed()
        for match in Patterns.answerTag.matches(in: text as String, range: whole) {
            if let letter = contentLetter(text.substring(with: match.range(at: 1))) {
                found.append(ExtractedAnswer(letter: letter, rule: .answerTag, position: match.range.upperBound))
            }
        }
        for (pattern, rule) in [(Patterns.answerStatement, ExtractionRule.answerStatement), (Patterns.answerLabel, .answerLabel), (Patterns.choice, .choice)] {
            for match in pattern.matches(in: text as String, range: whole) {
                if let lead = lead(at: match.range.upperBound) {
                    let ruleUsed: ExtractionRule = lead.correction ? .correction : lead.byText ? .answerText : rule
                    found.append(ExtractedAnswer(letter: lead.letter, rule: ruleUsed, position: lead.end))
                }
            }
        }
        for match in Patterns.correctClaim.matches(in: text as String, range: whole) {
            found.append(ExtractedAnswer(letter: text.substring(with: match.range(at: 1)), rule: .correctClaim, position: match.range.upperBound))
        }
        for match in Patterns.correction.matches(in: text as String, range: whole) {
            let letter = text.substring(with: match.range(at: 3))
            guard accepts(letterRange: match.range(at: 3), bracketed: match.range(at: 2).length > 0) else { continue }
            found.append(ExtractedAnswer(letter: letter.uppercased(), rule: .correction, position: match.range.upperBound))
        }
        return found
    }

    /// `\boxed{…}` with its braces balanced, since the content often holds `\text{…}`.
    func boxed() -> [ExtractedAnswer] {
        var found: [ExtractedAnswer] = []
        var searchFrom = 0
        while searchFrom < text.length {
            let range = text.range(of: "\\boxed", options: [], range: NSRange(location: searchFrom, length: text.length - searchFrom))
            guard range.location != NSNotFound else { break }
            var index = range.upperBound
            while index < text.length, text.character(at: index) == 0x20 { index += 1 }
            searchFrom = range.upperBound
            guard index < text.length, text.character(at: index) == UInt16(UInt8(ascii: "{")) else { continue }
            var depth = 0
            var end = index
            while end < text.length {
                let unit = text.character(at: end)
                if unit == UInt16(UInt8(ascii: "{")) { depth += 1 }
                if unit == UInt16(UInt8(ascii: "}")) {
                    depth -= 1
                    if depth == 0 { break }
                }
                end += 1
            }
            guard end < text.length else { break }
            let content = text.substring(with: NSRange(location: index + 1, length: end - index - 1))
            if let letter = contentLetter(content) {
                found.append(ExtractedAnswer(letter: letter, rule: .boxed, position: end + 1))
            }
            searchFrom = end + 1
        }
        return found
    }

    /// The letter inside an enclosing form (box, tag): a letter, "C. text", or an option's exact text.
    func contentLetter(_ raw: String) -> String? {
        var content = raw
        while let match = Patterns.latexText.firstMatch(in: content, range: NSRange(location: 0, length: (content as NSString).length)) {
            content = (content as NSString).replacingCharacters(in: match.range, with: (content as NSString).substring(with: match.range(at: 1)))
        }
        content = content.replacingOccurrences(of: "$", with: "").replacingOccurrences(of: "*", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if let letter = OptionParsing.letter(content) { return letter }
        let ns = content as NSString
        if let match = Patterns.letterThenText.firstMatch(in: content, range: NSRange(location: 0, length: ns.length)) {
            return ns.substring(with: match.range(at: 1)).uppercased()
        }
        return optionMatchingExactly(content)
    }

    /// What follows an answer marker: a letter (possibly after filler words), "not A but C", or an option's text.
    func lead(at start: Int) -> (letter: String, end: Int, correction: Bool, byText: Bool)? {
        let rest = NSRange(location: start, length: text.length - start)
        guard let match = Patterns.lead.firstMatch(in: text as String, options: [.anchored], range: rest) else { return nil }
        if match.range(at: 1).location != NSNotFound {
            // "not X but Y": the corrected letter counts.
            let letterRange = match.range(at: 3)
            guard letterRange.location != NSNotFound, accepts(letterRange: letterRange, bracketed: match.range(at: 2).location != NSNotFound) else { return nil }
            return (text.substring(with: letterRange).uppercased(), letterRange.upperBound, true, false)
        }
        let letterRange = match.range(at: 5)
        if letterRange.location != NSNotFound, accepts(letterRange: letterRange, bracketed: match.range(at: 4).location != NSNotFound) {
            return (text.substring(with: letterRange).uppercased(), letterRange.upperBound, false, false)
        }
        // No letter: the option whose text the phrase starts with (the longest, if several).
        let phraseStart = [match.range(at: 6), match.range(at: 4), match.range(at: 5)].first { $0.location != NSNotFound }?.location
        guard let phraseStart else { return nil }
        let lineEnd = text.rangeOfCharacter(from: .newlines, options: [], range: NSRange(location: phraseStart, length: text.length - phraseStart))
        let phrase = text.substring(with: NSRange(location: phraseStart, length: (lineEnd.location == NSNotFound ? text.length : lineEnd.location) - phraseStart))
        let normalizedPhrase = Self.loose(phrase)
        // Short options ("no", "8") must be the whole clause, or "no, the intervention…" and
        // "4 of them" would be taken for them; longer ones may be followed by more words.
        let clause = Self.loose(String(phrase.prefix { !",.;:!?(".contains($0) }))
        let hits = options.filter {
            let option = Self.loose($0.text)
            guard !option.isEmpty else { return false }
            if option.count < 3 { return clause == option }
            guard normalizedPhrase.hasPrefix(option) else { return false }
            let after = normalizedPhrase.dropFirst(option.count)
            return after.isEmpty || after.first == " "
        }
        guard let best = hits.max(by: { Self.loose($0.text).count < Self.loose($1.text).count }) else { return nil }
        return (best.letter, phraseStart + (best.text as NSString).length, false, true)
    }

    /// Whether a captured letter is an answer rather than a word: lowercase only where it cannot be
    /// the article, and "A"/"I" not when a word follows.
    func accepts(letterRange: NSRange, bracketed: Bool) -> Bool {
        let letter = text.substring(with: letterRange)
        let after = text.substring(from: letterRange.upperBound)
        if let next = after.unicodeScalars.first, CharacterSet.alphanumerics.contains(next) || next == "-" || next == "'" || next == "’" {
            return false
        }
        if bracketed { return true }
        if letter == letter.lowercased() {
            guard let next = after.first else { return true }
            return ".,;:!?*_)]}\"\n".contains(next)
        }
        if letter == "A" || letter == "I" {
            let ns = after as NSString
            if let word = Patterns.followingWord.firstMatch(in: after, options: [.anchored], range: NSRange(location: 0, length: ns.length)) {
                return Patterns.conjunctions.contains(ns.substring(with: word.range(at: 1)).lowercased())
            }
        }
        return true
    }

    // MARK: Tier 2

    func weak() -> [ExtractedAnswer] {
        var found: [ExtractedAnswer] = []
        let bold = Patterns.boldOption.matches(in: text as String, range: whole)
        // Bold on three or more letters is a walk through the options, not an answer.
        if Set(bold.map { text.substring(with: $0.range(at: 1)).uppercased() }).count < 3 {
            for match in bold where !negativeAfter(match.range.upperBound) {
                found.append(ExtractedAnswer(letter: text.substring(with: match.range(at: 1)).uppercased(), rule: .boldOption, position: match.range.upperBound))
            }
        }
        let lines = text.components(separatedBy: "\n")
        var offset = 0
        var starts: [Int] = []
        for line in lines {
            starts.append(offset)
            offset += (line as NSString).length + 1
        }
        let markers = lines.map { line -> NSTextCheckingResult? in
            Patterns.lineLetter.firstMatch(in: line, options: [.anchored], range: NSRange(location: 0, length: (line as NSString).length))
        }
        let nonEmpty = lines.indices.filter { !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty }
        for (rank, index) in nonEmpty.enumerated() {
            guard let match = markers[index] else { continue }
            // A line beside another lettered line belongs to a list of options, not an answer.
            let previous = rank > 0 ? markers[nonEmpty[rank - 1]] : nil
            let next = rank + 1 < nonEmpty.count ? markers[nonEmpty[rank + 1]] : nil
            guard previous == nil, next == nil else { continue }
            let line = lines[index] as NSString
            found.append(ExtractedAnswer(letter: line.substring(with: match.range(at: 1)), rule: .lineLetter, position: starts[index] + line.length))
        }
        for (index, line) in lines.enumerated() {
            let ns = line as NSString
            if let match = Patterns.loneLetter.firstMatch(in: line, options: [.anchored], range: NSRange(location: 0, length: ns.length)) {
                found.append(ExtractedAnswer(letter: ns.substring(with: match.range(at: 1)).uppercased(), rule: .loneLetter, position: starts[index] + ns.length))
            }
        }
        for match in Patterns.optionMention.matches(in: text as String, range: whole) {
            let letterRange = match.range(at: 1)
            guard !negativeBefore(match.range.location), !negativeAfter(letterRange.upperBound + (match.range.upperBound - letterRange.upperBound)),
                accepts(letterRange: letterRange, bracketed: true)
            else { continue }
            found.append(ExtractedAnswer(letter: text.substring(with: letterRange).uppercased(), rule: .optionMention, position: match.range.upperBound))
        }
        return found
    }

    func negativeBefore(_ location: Int) -> Bool {
        let start = max(0, location - 30)
        let before = text.substring(with: NSRange(location: start, length: location - start)).lowercased()
        return Patterns.negativeBefore.firstMatch(in: before, range: NSRange(location: 0, length: (before as NSString).length)) != nil
    }

    func negativeAfter(_ location: Int) -> Bool {
        let length = min(60, text.length - location)
        let after = text.substring(with: NSRange(location: location, length: length)).lowercased()
        return Patterns.negativeAfter.firstMatch(in: after, options: [.anchored], range: NSRange(location: 0, length: (after as NSString).length)) != nil
    }

    // MARK: Tier 3

    func optionText() -> [ExtractedAnswer] {
        let trimmed = (text as String).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return [] }
        var candidates = [trimmed]
        if let last = trimmed.components(separatedBy: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            candidates.append(last)
        }
        for candidate in candidates.reversed() {
            if let letter = optionMatchingNearly(candidate) {
                return [ExtractedAnswer(letter: letter, rule: .optionText, position: text.length)]
            }
        }
        return []
    }

    func optionMatchingExactly(_ candidate: String) -> String? {
        let wanted = Self.loose(candidate)
        let hits = options.filter { Self.loose($0.text) == wanted }
        return hits.count == 1 ? hits[0].letter : nil
    }

    /// The one option whose text equals `candidate` up to case, punctuation and a few typos
    /// (edit distance at most a tenth of the length).
    func optionMatchingNearly(_ candidate: String) -> String? {
        if let exact = optionMatchingExactly(candidate) { return exact }
        let wanted = Array(Self.loose(candidate))
        guard wanted.count >= 4 else { return nil }
        var best: (letter: String, distance: Int)?
        var tie = false
        for option in options {
            let target = Array(Self.loose(option.text))
            let allowed = max(1, target.count / 10)
            guard abs(target.count - wanted.count) <= allowed else { continue }
            let distance = Self.editDistance(wanted, target)
            guard distance <= allowed else { continue }
            if let current = best, current.distance == distance { tie = true }
            if best == nil || distance < best!.distance {
                best = (option.letter, distance)
                tie = false
            }
        }
        return tie ? nil : best?.letter
    }

    /// Lowercased, markdown and punctuation turned to spaces, whitespace collapsed, a leading
    /// "answer:" dropped.
    static func loose(_ text: String) -> String {
        let mapped = text.lowercased().unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : " " }
        var words = String(mapped).split(separator: " ").map(String.init)
        if words.first == "answer" || words.first == "final" {
            while let first = words.first, ["answer", "final", "is"].contains(first) { words.removeFirst() }
        }
        return words.joined(separator: " ")
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

/// The regular expressions, compiled once.
private enum Patterns {
    static func make(_ pattern: String, _ options: NSRegularExpression.Options = [.caseInsensitive]) -> NSRegularExpression {
        try! NSRegularExpression(pattern: pattern, options: options)
    }

    static let md = "[*_`]{0,3}"

    static let answerTag = make(#"<answer>\s*(.*?)\s*</answer>"#, [.caseInsensitive, .dotMatchesLineSeparators])
    static let latexText = make(#"\\(?:text|textbf|mathrm|mathbf|textit)\s*\{([^{}]*)\}"#, [])
    static let letterThenText = make(#"^\(?([A-Za-z])[.):\]]\s+\S"#, [])

    /// "the answer is", "correct option would be", "answer remains".
    static let answerStatement = make(#"\b(?:answer|choice|option|selection|response)\s*\**\s*(?:is|would\s+be|should\s+be|will\s+be|must\s+be|remains|=)\b"#)
    /// "Answer:", "Final answer:", "**Correct answer:**", "Final Answer" at the end of a line.
    static let answerLabel = make(#"\b(?:final\s+answer|answer|correct\s+(?:answer|option|choice|response)|best\s+(?:answer|option|choice))\s*[*_]{0,3}\s*(?:[:：\-–—]|(?=\s*\n))"#)
    static let choice = make(#"\b(?:I\s*(?:would|will|'d|’d|'ll|’ll|am\s+going\s+to|must)?\s*(?:choose|select|pick|go\s+with)|going\s+with|I\s+(?:think|believe)\s+(?:it'?s|it\s+is|it’s))\b"#)
    /// "C is correct", "Option C is the best answer", "(C) is most likely", at a sentence or line start or after "option".
    static let correctClaim = make(
        #"(?:\b(?:option|choice|answer)\s+[*_]{0,2}\(?|(?:^|[.!?:;,]\s+)[*_]{0,2}\(?|\()([A-J])\)?[*_]{0,2}(?:\s*\([^()\n]{1,80}\))?[*_]{0,2}\s+(?:is|would\s+be|seems\s+to\s+be|appears\s+to\s+be)\s+(?:the\s+)?(?:correct|right|best|most\s+(?:likely|appropriate|accurate))\b"#,
        [.anchorsMatchLines])
    /// "not A but C", "not (A), it's C".
    static let correction = make(
        #"\bnot\s+(?:option\s+)?\(?([A-J])\)?\s*,?\s*(?:but|it'?s|it\s+is)\s+(?:rather\s+)?(?:option\s+)?(\(?)([A-J])\)?(?![A-Za-z0-9])"#)
    /// After a marker: filler, then "not X but Y" (groups 1–3), or a letter (4, 5), or a phrase (6).
    static let lead = make(
        #"[\s*_:`"'$,]*(?:(?:definitely|clearly|probably|likely|most\s+likely|therefore|thus|hence|then|so|actually|indeed|certainly|undoubtedly|still|i\s+think|i\s+believe)\b[\s*_:,]*)*"#
            + #"(?:(not)\s+(?:option\s+)?\(?[A-Ja-j]\)?\s*,?\s*(?:but|it'?s|it\s+is)\s+(?:rather\s+)?(?:option\s+)?(\()?([A-Ja-j])|(?:(?:option|choice|letter)\s*)?[*_]*(\\text\{[(\[]?|[(\[])?([A-Za-z])|(\S))"#)
    static let followingWord = make(#"\s+(\d|[a-z]+)"#, [])
    static let conjunctions: Set<String> = ["because", "since", "as", "and", "or", "is", "was", "for", "given", "due", "with", "from", "but", "so", "which", "in", "here", "if"]

    static let boldOption = make(#"\*\*\s*(?:option\s+|answer:?\s*)?\(?([A-J])\)?(?:[.):]\s*[^*\n]*)?\*\*"#)
    static let lineLetter = make(#"[ \t>*_-]*(?:option\s+)?\(?([A-J])(?:\)|\.(?=\s))"#, [])
    static let loneLetter = make(#"[ \t>*_#(\[]*([A-Ja-j])[)\].*_ \t]*$"#, [])
    static let optionMention = make(#"\b(?:option|choice)\s+[*_]{0,2}\(?([A-J])\)?[*_]{0,2}"#, [.caseInsensitive])
    static let negativeBefore = make(#"\b(?:not|rule\s+out|ruled\s+out|exclude|excludes|excluding|eliminate|eliminates|than|unlike|instead\s+of|except|nor|neither)\s+(?:\w+\s+)?$"#, [])
    static let negativeAfter = make(#"[\s*_).:,]*(?:\([^()]*\)\s*)?(?:(?:is|are|was|seems|would\s+be|can\s+be|could\s+be)\s+)?(?:not|incorrect|wrong|unlikely|less\s+likely|ruled\s+out|excluded|inappropriate|false|a\s+distractor)\b"#, [])
}
