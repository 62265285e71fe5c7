import MedQA
import XCTest

final class AnswerExtractorTests: XCTestCase {
    let options = ["Amiodarone", "Digoxin", "Diltiazem", "Propranolol"].enumerated().map {
        Option(letter: Option.letters[$0], text: $1)
    }
    let extractor = AnswerExtractor()

    func testReportsTheRuleThatMatched() {
        XCTAssertEqual(extractor.extract("\\boxed{\\text{C}}", options: options)?.rule, .boxed)
        XCTAssertEqual(extractor.extract("<answer> C </answer>", options: options)?.rule, .answerTag)
        XCTAssertEqual(extractor.extract("The answer is (C)", options: options)?.rule, .answerStatement)
        XCTAssertEqual(extractor.extract("Final answer: C", options: options)?.rule, .answerLabel)
        XCTAssertEqual(extractor.extract("**C. Diltiazem**", options: options)?.rule, .boldOption)
        XCTAssertEqual(extractor.extract("Option C", options: options)?.rule, .optionMention)
        XCTAssertEqual(extractor.extract("c", options: options)?.rule, .loneLetter)
        XCTAssertEqual(extractor.extract("Diltiazem", options: options)?.rule, .optionText)
        XCTAssertEqual(extractor.extract("The answer is not A but C", options: options)?.rule, .correction)
    }

    func testExplicitAnswerOutranksLaterMentions() {
        let text = "Answer: B\n\nOption D would be wrong, and **C. Diltiazem** causes hypotension."
        XCTAssertEqual(extractor.extract(text, options: options)?.letter, "B")
    }

    func testLastExplicitAnswerWins() {
        XCTAssertEqual(extractor.letter(in: "The answer is A. On reflection, the answer is D.", options: options), "D")
        XCTAssertEqual(extractor.letter(in: "The answer is D. On reflection, the answer is A.", options: options), "A")
    }

    func testLettersOutsideTheOptionsAreNotAnswers() {
        XCTAssertNil(extractor.letter(in: "The answer is E.", options: options))
        XCTAssertEqual(extractor.letter(in: "The answer is B. No wait, the answer is E.", options: options), "B")
    }

    func testTextAfterThinkIsPreferred() {
        let text = "<think>The answer is A, surely.</think>\nThe answer is D."
        XCTAssertEqual(extractor.letter(in: text, options: options), "D")
    }
}
