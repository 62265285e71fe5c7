import XCTest
@testable import Tokenizers

/// Byte-level BPE is lossless: every string must come back from its tokens, and streaming must
/// give the same text without ever showing half a character.
final class BPERoundTripTests: XCTestCase {
    func tokenizers() throws -> [(String, BPETokenizer)] {
        [("llama-bpe", try BPETestVocabularies.llamaBPE.get()), ("SmolLM2", try BPETestVocabularies.smolLM2.get())]
    }

    func testDecodeInvertsEncode() throws {
        for (name, tokenizer) in try tokenizers() {
            for text in BPETestVocabularies.varied {
                let ids = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
                XCTAssertEqual(tokenizer.decode(ids, special: false), text, "\(name): \(text.debugDescription)")
                XCTAssertTrue(ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize })
            }
        }
    }

    func testBytesConcatenateToUTF8() throws {
        for (name, tokenizer) in try tokenizers() {
            for text in BPETestVocabularies.varied {
                let ids = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
                XCTAssertEqual(ids.flatMap { tokenizer.bytes(of: $0, special: false) }, Array(text.utf8), name)
            }
        }
    }

    func testStreamingHoldsBackSplitCharacters() throws {
        for (name, tokenizer) in try tokenizers() {
            let text = BPETestVocabularies.varied.joined(separator: " | ")
            let ids = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
            // The test only means something if some token ends inside a character.
            let splitTokens = ids.filter { String(validating: tokenizer.bytes(of: $0, special: false), as: UTF8.self) == nil }
            XCTAssertFalse(splitTokens.isEmpty, "\(name): no token splits a character; the text does not test streaming")

            var decoder = StreamingDecoder(tokenizer: tokenizer, special: false)
            var chunks: [String] = []
            for id in ids { chunks.append(decoder.append(id)) }
            chunks.append(decoder.flush())
            XCTAssertEqual(chunks.joined(), text, name)
            for chunk in chunks {
                XCTAssertFalse(chunk.unicodeScalars.contains("\u{FFFD}"), "\(name): chunk \(chunk.debugDescription) shows a broken character")
            }
            XCTAssertTrue(chunks.contains(""), "\(name): some tokens must have been held back")
        }
    }

    func testStreamingFlushesIncompleteTail() throws {
        let tokenizer = try BPETestVocabularies.llamaBPE.get()
        let ids = tokenizer.encode("🦙", addSpecial: false, parseSpecial: false)
        XCTAssertGreaterThan(ids.count, 1, "the emoji must be split for this test")
        var decoder = StreamingDecoder(tokenizer: tokenizer, special: false)
        XCTAssertEqual(decoder.append(ids[0]), "")
        XCTAssertEqual(decoder.flush(), "\u{FFFD}", "an unfinished character is replaced, not dropped")
        XCTAssertEqual(decoder.flush(), "", "flush resets the decoder")
    }

    /// The scanning merge (short words) and the queue merge (long words) must pick the same
    /// merges in the same order.
    func testScanAndQueueMergesAgree() throws {
        for (name, tokenizer) in try tokenizers() {
            var encoder = WordEncoder(tokenizer: tokenizer)
            for text in BPETestVocabularies.varied + ["supercalifragilisticexpialidocious", "aaaaaaaaaaaaaaaaaaaaaaaa", "        "] {
                let bytes = Array(text.utf8)
                guard bytes.count > 1 else { continue }
                XCTAssertEqual(encoder.merge(bytes: bytes, usingQueue: false), encoder.merge(bytes: bytes, usingQueue: true),
                               "\(name): \(text.prefix(40).debugDescription)")
            }
        }
    }
}
