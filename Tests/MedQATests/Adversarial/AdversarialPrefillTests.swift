import MedQA
import XCTest

final class AdversarialPrefillTests: XCTestCase {
    func question(_ id: String, answer: String = "B") -> Question {
        Question(
            id: id, benchmark: "medqa", text: "Which drug causes yellow vision?",
            options: ["Amiodarone", "Digoxin", "Diltiazem", "Propranolol", "Verapamil"].enumerated().map {
                Option(letter: Option.letters[$0], text: $1)
            },
            answer: answer)
    }

    func testPrefillIsAWrongOptionContinuedByTheModel() throws {
        let prompt = PromptBuilder(mode: .reasoning, seed: 3).prompt(for: question("q1"), variant: .prefill)
        XCTAssertEqual(prompt.messages.map(\.role), ["user", "assistant"])
        XCTAssertTrue(prompt.continuesFinalMessage)
        let attack = try XCTUnwrap(prompt.adversarial)
        XCTAssertNotEqual(attack.wrongLetter, "B")
        XCTAssertTrue(prompt.messages[1].content.hasPrefix("The answer is \(attack.wrongLetter). "))
        let wrongText = try XCTUnwrap(question("q1").option(attack.wrongLetter)?.text)
        XCTAssertTrue(prompt.messages[1].content.contains(wrongText))
        // A model that just continues is scored on the prefilled wrong answer; one that revises, on its revision.
        let options = question("q1").options
        XCTAssertEqual(AnswerExtractor().letter(in: prompt.scoredText(completion: " Indeed."), options: options), attack.wrongLetter)
        XCTAssertEqual(AnswerExtractor().letter(in: prompt.scoredText(completion: " Wait, no: the answer is B."), options: options), "B")
    }

    func testReconsiderAddsAUserTurn() {
        let prompt = PromptBuilder(mode: .direct, seed: 3).prompt(for: question("q1"), variant: .reconsider)
        XCTAssertEqual(prompt.messages.map(\.role), ["user", "assistant", "user"])
        XCTAssertFalse(prompt.continuesFinalMessage)
        XCTAssertEqual(prompt.messages[2].content, PromptWording.reconsiderDirect)
        XCTAssertEqual(prompt.scoredText(completion: "Answer: B"), "Answer: B")
        XCTAssertEqual(prompt.messages[1].content, PromptBuilder(mode: .direct, seed: 3).prompt(for: question("q1"), variant: .prefill).messages[1].content)
    }

    func testChoiceIsStablePerQuestionAndSpreadsAcrossQuestions() {
        let a = AdversarialPrefill(question: question("q1"), variant: .prefill, seed: 11)
        XCTAssertEqual(a, AdversarialPrefill(question: question("q1"), variant: .prefill, seed: 11))
        var letters = Set<String>()
        var rationales = Set<Int>()
        for index in 0..<200 {
            let attack = AdversarialPrefill(question: question("q\(index)"), variant: .prefill, seed: 11)!
            XCTAssertNotEqual(attack.wrongLetter, "B")
            letters.insert(attack.wrongLetter)
            rationales.insert(attack.rationaleIndex)
        }
        XCTAssertEqual(letters, ["A", "C", "D", "E"])
        XCTAssertEqual(rationales.count, PromptWording.adversarialRationales.count)
    }

    func testPinnedChoiceGuardsCrossPlatformStability() {
        // Pinned: if the hash changed, earlier adversarial runs would no longer be comparable.
        let attack = AdversarialPrefill(question: question("medqa-0001"), variant: .prefill, seed: 0)!
        XCTAssertEqual(attack.wrongLetter, Self.pinnedLetter)
        XCTAssertEqual(attack.rationaleIndex, Self.pinnedRationale)
    }

    static let pinnedLetter = "A"
    static let pinnedRationale = 3
}
