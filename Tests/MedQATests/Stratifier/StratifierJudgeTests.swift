import XCTest
@testable import MedQA

final class StratifierJudgeTests: XCTestCase {
    func testVerdictTakesTheLastSplitNamed() {
        XCTAssertEqual(StratifierJudge.verdict(in: "Reasoning"), .reasoning)
        XCTAssertEqual(StratifierJudge.verdict(in: " knowledge."), .knowledge)
        XCTAssertEqual(StratifierJudge.verdict(in: "Not knowledge: it needs reasoning-heavy work"), .reasoning)
        XCTAssertEqual(StratifierJudge.verdict(in: "reasoning? no, KNOWLEDGE"), .knowledge)
        XCTAssertNil(StratifierJudge.verdict(in: "The answer is B"))
    }

    func testPromptStatesTheDefinitionAndTheQuestion() {
        let q = Question(id: "1", benchmark: "b", text: "Which bone?", options: [Option(letter: "A", text: "Femur"), Option(letter: "B", text: "Tibia")], answer: "A")
        let m = StratifierJudge.messages(for: q)
        XCTAssertEqual(m.map(\.role), ["system", "user"])
        XCTAssertTrue(m[0].content.contains("multi-step inference"))
        XCTAssertTrue(m[0].content.contains("recall of a fact"))
        XCTAssertTrue(m[1].content.contains("Which bone?\nA. Femur\nB. Tibia"))
    }

    func testAgreementAndKappa() {
        let a = JudgeAgreement(judge: [.reasoning, .reasoning, .knowledge, .knowledge, nil],
                               classifier: [.reasoning, .knowledge, .knowledge, .knowledge, .reasoning])
        XCTAssertEqual(a.compared, 4)
        XCTAssertEqual(a.agreed, 3)
        XCTAssertEqual(a.unparsed, 1)
        // observed 0.75; chance = 0.5·0.25 + 0.5·0.75 = 0.5; kappa = 0.25 / 0.5
        XCTAssertEqual(a.kappa, 0.5, accuracy: 1e-12)
    }
}
