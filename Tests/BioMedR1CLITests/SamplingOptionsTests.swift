@testable import BioMedR1CLI
import LLM
import XCTest

/// How `generate` and `chat` settle their sampling: flags, then the model's recommendation
/// (generation_config.json), then llama.cpp's defaults.
final class SamplingOptionsTests: XCTestCase {
    private var llama31: SamplingParameters {
        var p = SamplingParameters()
        p.temperature = 0.6
        p.topP = 0.9
        p.topK = 50
        p.minP = 0
        return p
    }

    func testWithoutFlagsTheModelsRecommendationIsUsed() throws {
        let p = try SamplingOptions.parse(["--seed", "7"]).parameters(recommended: llama31)
        var expected = llama31
        expected.seed = 7
        XCTAssertEqual(p, expected)
    }

    func testFlagsOverrideTheRecommendationOneByOne() throws {
        let p = try SamplingOptions.parse(["--temperature", "0.2", "--top-k", "5", "--seed", "1"]).parameters(recommended: llama31)
        XCTAssertEqual(p.temperature, 0.2)
        XCTAssertEqual(p.topK, 5)
        XCTAssertEqual(p.topP, 0.9, accuracy: 1e-6)
        XCTAssertEqual(p.minP, 0)
        let greedy = try SamplingOptions.parse(["--temperature", "0", "--top-p", "1", "--min-p", "0.1"]).parameters(recommended: llama31)
        XCTAssertEqual(greedy.temperature, 0)
        XCTAssertEqual(greedy.topP, 1)
        XCTAssertEqual(greedy.minP, 0.1, accuracy: 1e-6)
    }

    func testWithoutARecommendationLlamaCppDefaultsApply() throws {
        let p = try SamplingOptions.parse(["--seed", "3"]).parameters(recommended: nil)
        XCTAssertEqual(p, SamplingParameters(seed: 3))
        XCTAssertThrowsError(try SamplingOptions.parse(["--top-p", "1.5"]))
        XCTAssertThrowsError(try SamplingOptions.parse(["--temperature", "-1"]))
    }
}
