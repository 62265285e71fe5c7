/// One lettered answer choice of a multiple-choice question.
public struct Option: Sendable, Codable, Hashable {
    /// The option's letter as shown to the model: `A`, `B`, … (uppercase, one character).
    public var letter: String
    /// The option's text, as the dataset gives it.
    public var text: String

    /// An option with `letter` and `text`.
    public init(letter: String, text: String) {
        self.letter = letter
        self.text = text
    }

    /// The letters options are given, in order: A–Z. Benchmarks use at most ten (MedXpertQA: A–J).
    public static let letters: [String] = (UInt8(ascii: "A")...UInt8(ascii: "Z")).map { String(UnicodeScalar($0)) }
}
