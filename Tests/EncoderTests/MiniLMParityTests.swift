import XCTest
import Tokenizers
@testable import Encoder

/// all-MiniLM-L6-v2 against Python: tokenizer ids from `tokenizers` on 300 MMLU medical questions
/// plus edge cases, and sentence embeddings from sentence-transformers (torch, CPU).
final class MiniLMParityTests: XCTestCase {
    func testTokenizerMatchesTokenizersOnMedicalText() throws {
        let folder = try EncoderFixtures.miniLM()
        let fromJSON = try WordPieceTokenizer(tokenizerJSON: folder.appendingPathComponent("tokenizer.json"))
        let fromVocab = try WordPieceTokenizer(vocabTxt: folder.appendingPathComponent("vocab.txt"))
        let golden = try EncoderFixtures.json("wordpiece-medical.json")
        let cases = golden["cases"] as! [[String: Any]]
        XCTAssertGreaterThanOrEqual(cases.count, 300)
        var passed = 0
        for c in cases {
            let text = c["text"] as! String
            let expected = (c["ids"] as! [NSNumber]).map(\.int32Value)
            let ids = fromJSON.encode(text).ids
            if ids == expected { passed += 1 } else { XCTFail("\(text.debugDescription)\n expected \(expected)\n got      \(ids)") }
            XCTAssertEqual(fromVocab.encode(text).ids, ids, "vocab.txt and tokenizer.json disagree on \(text.debugDescription)")
        }
        print("MiniLM tokenizer: \(passed)/\(cases.count)")
        for c in golden["truncated"] as! [[String: Any]] {
            let e = fromJSON.encode(c["text"] as! String, pair: c["pair"] as? String, maxLength: (c["maxLength"] as! NSNumber).intValue)
            XCTAssertEqual(e.ids, (c["ids"] as! [NSNumber]).map(\.int32Value))
            XCTAssertEqual(e.typeIDs, (c["typeIDs"] as! [NSNumber]).map(\.int32Value))
        }
    }

    func testSentenceEmbeddingsMatchSentenceTransformers() throws {
        let encoder = try BertEncoder(folder: EncoderFixtures.miniLM(), threads: 2)
        let golden = try EncoderFixtures.json("minilm-embeddings.json")
        XCTAssertEqual(encoder.maxLength, (golden["maxSequenceLength"] as! NSNumber).intValue)
        let sentences = golden["sentences"] as! [String]
        let expected = (golden["embeddings"] as! [[NSNumber]]).map { $0.map(\.floatValue) }
        // Batches of 7 mix lengths, so the per-sequence attention (the padding mask) is exercised.
        let got = encoder.sentenceEmbeddings(sentences, batchSize: 7)
        XCTAssertEqual(got.count, expected.count)
        var worst = 1.0, maxDiff: Float = 0
        for (a, b) in zip(got, expected) {
            worst = min(worst, EncoderFixtures.cosine(a, b))
            for (x, y) in zip(a, b) { maxDiff = max(maxDiff, abs(x - y)) }
        }
        print("MiniLM embeddings: min cosine \(worst), max |diff| \(maxDiff)")
        XCTAssertGreaterThanOrEqual(worst, 0.9999)
        // One at a time gives the same vectors as batched.
        let single = encoder.sentenceEmbeddings([sentences[3]], batchSize: 1)[0]
        XCTAssertGreaterThan(EncoderFixtures.cosine(single, got[3]), 0.999999)
    }

    func testThroughput() throws {
        let encoder = try BertEncoder(folder: EncoderFixtures.miniLM(), threads: 2)
        let golden = try EncoderFixtures.json("wordpiece-medical.json")
        let texts = (golden["cases"] as! [[String: Any]]).suffix(64).map { $0["text"] as! String }
        let start = Date()
        let out = encoder.sentenceEmbeddings(texts, batchSize: 32)
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(out.count, texts.count)
        print(String(format: "MiniLM throughput: %.1f sentences/s (%d MMLU questions, 2 threads)", Double(texts.count) / seconds, texts.count))
    }
}
