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
        let prompt = StratifierJudge.prompt(for: q)
        XCTAssertFalse(prompt.continuesFinalMessage)
        XCTAssertNil(prompt.adversarial)
        let m = prompt.messages
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
        // Rows: judge reasoning, knowledge; columns: classifier reasoning, knowledge.
        XCTAssertEqual(a.confusion, [[1, 1], [0, 2]])
        XCTAssertTrue(a.summary.contains("3 of 4 (75.0%)"), a.summary)
        let table = a.summary.split(separator: "\n").dropFirst().map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(table, [["judge", "\\", "classifier", "reasoning", "knowledge"], ["reasoning", "1", "1"], ["knowledge", "0", "2"]])
    }

    /// Kappa against scikit-learn's `cohen_kappa_score` on a lopsided sample (computed once:
    /// judge = 30×R, 10×K, classifier R for 22 of the judge's R and 4 of its K → 0.2941176470588235).
    func testKappaMatchesScikitLearn() {
        let judge: [Split?] = Array(repeating: .reasoning, count: 30) + Array(repeating: .knowledge, count: 10) + [nil, nil]
        let classifier: [Split] = Array(repeating: .reasoning, count: 22) + Array(repeating: .knowledge, count: 8)
            + Array(repeating: .reasoning, count: 4) + Array(repeating: .knowledge, count: 6) + [.reasoning, .knowledge]
        let a = JudgeAgreement(judge: judge, classifier: classifier)
        XCTAssertEqual(a.confusion, [[22, 8], [4, 6]])
        XCTAssertEqual(a.unparsed, 2)
        XCTAssertEqual(a.kappa, 0.2941176470588235, accuracy: 1e-12)
    }

    func testNoComparableVerdictsGiveZeroKappa() {
        let a = JudgeAgreement(judge: [nil, nil], classifier: [.reasoning, .knowledge])
        XCTAssertEqual(a.compared, 0)
        XCTAssertEqual(a.kappa, 0)
        XCTAssertEqual(a.rate, 0)
    }
}
