import Foundation
import MedQA
import TestSupport
import XCTest

/// The extractor against a committed corpus of realistic completions (reasoning, hedging, markdown,
/// lowercase, repeated mentions, no answer, letters inside words) with the letters a careful reader
/// takes from them.
final class AnswerExtractorCorpusTests: XCTestCase {
    struct Case: Decodable {
        let completion: String
        let options: [String: String]
        let expected: String?
        let note: String
    }

    func loadCorpus() throws -> [Case] {
        let text = try String(contentsOf: TestPaths.fixture("medqa/extraction-corpus.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Case.self, from: Data($0.utf8)) }
    }

    func testCorpusIsLargeAndMixed() throws {
        let corpus = try loadCorpus()
        XCTAssertGreaterThanOrEqual(corpus.count, 120)
        XCTAssertGreaterThanOrEqual(corpus.filter { $0.expected == nil }.count, 20, "the corpus must hold unanswerable completions too")
        XCTAssertGreaterThanOrEqual(corpus.filter { $0.completion.count > 300 }.count, 8, "the corpus must hold long reasoning")
    }

    func testEveryCorpusCompletionExtractsAsExpected() throws {
        let corpus = try loadCorpus()
        let extractor = AnswerExtractor()
        var failures: [String] = []
        for item in corpus {
            let options = item.options.keys.sorted().map { Option(letter: $0, text: item.options[$0]!) }
            let found = extractor.extract(item.completion, options: options)
            if found?.letter != item.expected {
                failures.append("[\(item.note)] expected \(item.expected ?? "nil"), got \(found.map { "\($0.letter) via \($0.rule)" } ?? "nil")")
            }
        }
        let accuracy = Double(corpus.count - failures.count) / Double(corpus.count)
        print("extraction corpus: \(corpus.count - failures.count)/\(corpus.count) correct (\(String(format: "%.1f", accuracy * 100))%)")
        XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    }
}
