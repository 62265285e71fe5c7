import Foundation
import XCTest

/// llama.cpp's greedy reference on SmolLM2-135M-Instruct (`../shared/references/smollm2-greedy.json`):
/// rendered prompts, their ids, the generated ids and text, and the top-5 logits of each step.
public struct SmolLM2Reference: Decodable {
    /// One prompt on one model file.
    public struct Case: Decodable {
        public let prompt: String
        public let model: String
        public let rendered_prompt: String
        public let prompt_ids: [Int32]
        public let generated_ids: [Int32]
        public let text: String
        /// `[id, logit]` pairs, five per generated step.
        public let top5: [[[Double]]]
    }

    /// The cases.
    public let cases: [Case]

    /// The reference beside this checkout; the test is skipped where `../shared` is absent.
    public static func load() throws -> SmolLM2Reference {
        guard let url = TestPaths.sharedReference("smollm2-greedy.json") else {
            throw XCTSkip("../shared/references/smollm2-greedy.json is not beside this checkout")
        }
        return try JSONDecoder().decode(SmolLM2Reference.self, from: Data(contentsOf: url))
    }
}
