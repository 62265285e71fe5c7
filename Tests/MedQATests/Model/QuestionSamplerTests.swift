import MedQA
import XCTest

final class QuestionSamplerTests: XCTestCase {
    func makeQuestions() -> [Question] {
        let options = [Option(letter: "A", text: "x"), Option(letter: "B", text: "y")]
        return (0..<200).map { index in
            Question(id: "q\(index)", benchmark: "b", subject: index < 150 ? "big" : "small", text: "\(index)", options: options, answer: "A")
        }
    }

    func testSampleIsDeterministicStratifiedAndOrdered() {
        let questions = makeQuestions()
        let sample = QuestionSampler.sample(questions, limit: 20, seed: 7)
        XCTAssertEqual(sample.count, 20)
        XCTAssertEqual(sample, QuestionSampler.sample(questions, limit: 20, seed: 7))
        XCTAssertEqual(sample.filter { $0.subject == "big" }.count, 15)
        XCTAssertEqual(sample.filter { $0.subject == "small" }.count, 5)
        let positions = sample.map { question in questions.firstIndex(of: question)! }
        XCTAssertEqual(positions, positions.sorted())
    }

    func testSeedsGiveDifferentSamples() {
        let questions = makeQuestions()
        XCTAssertNotEqual(QuestionSampler.sample(questions, limit: 20, seed: 1), QuestionSampler.sample(questions, limit: 20, seed: 2))
    }

    func testLimitAtOrAboveCountReturnsAll() {
        let questions = makeQuestions()
        XCTAssertEqual(QuestionSampler.sample(questions, limit: 500, seed: 1), questions)
        XCTAssertEqual(QuestionSampler.sample(questions, limit: 0, seed: 1), [])
    }
}
