import Foundation
import MedQA
import XCTest

final class QuestionTests: XCTestCase {
    let options = [Option(letter: "A", text: "yes"), Option(letter: "B", text: "no")]

    func testDerivedIDIsStableAndSensitiveToContent() {
        let id = QuestionID.derived(benchmark: "mmlu", text: "Is water wet?", options: options)
        XCTAssertEqual(id, QuestionID.derived(benchmark: "mmlu", text: "Is water wet?", options: options))
        XCTAssertTrue(id.hasPrefix("h"))
        XCTAssertEqual(id.count, 17)
        XCTAssertNotEqual(id, QuestionID.derived(benchmark: "medqa", text: "Is water wet?", options: options))
        XCTAssertNotEqual(id, QuestionID.derived(benchmark: "mmlu", text: "Is water wet?", options: options.reversed()))
    }

    func testDuplicatesAreToldApartNotDropped() {
        let question = Question(id: "x", benchmark: "b", text: "t", options: options, answer: "A")
        let ids = QuestionID.disambiguate([question, question, question]).map(\.id)
        XCTAssertEqual(ids, ["x", "x#2", "x#3"])
    }

    func testCodableRoundTrip() throws {
        let question = Question(
            id: "q1", benchmark: "medqa", subject: "Anatomy", text: "Stem", options: options, answer: "B",
            split: .reasoning, splitSource: .dataset, reasoningProbability: 0.7)
        let decoded = try JSONDecoder().decode(Question.self, from: JSONEncoder().encode(question))
        XCTAssertEqual(decoded, question)
        XCTAssertEqual(decoded.key, "medqa/q1")
        XCTAssertEqual(decoded.correctOption?.text, "no")
    }

    func testStableHashIsFixedAcrossRuns() {
        // FNV-1a 64 of "a" is a published test vector; a change here would reshuffle every run.
        XCTAssertEqual(StableHash.fnv1a("a"), 0xaf63_dc4c_8601_ec8c)
        var generator = SplitMix64(seed: 0)
        XCTAssertEqual(generator.next(), 0xe220_a839_7b1d_cdaf)
    }
}
