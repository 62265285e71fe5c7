import XCTest
import ModelFiles
@testable import Encoder

/// A random BertForSequenceClassification (2 layers, 32 wide, weights perturbed by N(0, 0.3) so
/// that every part moves the logits) written by scripts/make-encoder-goldens.py, with its
/// transformers logits.
final class TinyClassifierTests: XCTestCase {
    func testLogitsMatchTransformers() throws {
        let classifier = try BertSequenceClassifier(folder: EncoderFixtures.tinyClassifier, threads: 2)
        XCTAssertEqual(classifier.labels, ["knowledge", "reasoning"])
        let golden = try EncoderFixtures.json("tiny-bert-logits.json")
        let cases = golden["cases"] as! [[String: Any]]
        let texts = cases.map { $0["text"] as! String }
        let pairs = cases.map { $0["pair"] as? String }
        for (c, e) in zip(cases, classifier.encoder.encode(texts, pairs: pairs)) {
            XCTAssertEqual(e.ids, (c["ids"] as! [NSNumber]).map(\.int32Value))
        }
        let logits = classifier.logits(texts, pairs: pairs, batchSize: 3)
        var maxDiff: Float = 0
        for (c, l) in zip(cases, logits) {
            for (x, y) in zip(l, (c["logits"] as! [NSNumber]).map(\.floatValue)) { maxDiff = max(maxDiff, abs(x - y)) }
        }
        print("tiny classifier: max |logit diff| \(maxDiff)")
        // f32 throughout on both sides; only the summation order differs (torch's blocked GEMM
        // versus our kernels), worth a few ulps per layer on logits of magnitude ~1.
        XCTAssertLessThan(maxDiff, 1e-4)
        let p = classifier.classify([texts[4]])[0]
        let expected = (cases[4]["probabilities"] as! [NSNumber]).map(\.floatValue)
        XCTAssertEqual(p.label, expected[1] > expected[0] ? "reasoning" : "knowledge")
        XCTAssertEqual(p.probabilities[1], expected[1], accuracy: 1e-5)
    }
}
