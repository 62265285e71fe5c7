import Foundation
import LLM
import ModelFiles
import XCTest

final class LlamaModelTests: XCTestCase {
    private func load(_ tiny: TinyLlama, threads: Int = 2, maxBatchTokens: Int = 256) throws -> LlamaModel {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID().uuidString).gguf")
        try tiny.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        // The mapping stays valid after the file is unlinked.
        return try LlamaModel(gguf: GGUFFile(path: url.path), threads: threads, maxBatchTokens: maxBatchTokens)
    }

    private let tokens: [Int32] = [3, 17, 42, 5, 63, 0, 9, 9, 28, 51, 12]

    /// The engine keeps keys, values and the attention accumulator in f16 (as llama.cpp does) while
    /// the naive reference is all f32: f16's relative rounding of 2⁻¹¹ over a few roundings per
    /// layer bounds the difference on these unit-scale logits well below 5e-3, while any real bug
    /// (a wrong position, head or cache slot) moves them by O(0.1–1).
    private func assertClose(_ a: [Float], _ b: [Float], tolerance: Float = 5e-3, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(worst, tolerance, "max |difference| \(worst)", file: file, line: line)
    }

    /// Prefill of the whole prompt with logits at every position equals the naive model.
    func testPrefillMatchesTheNaiveReference() throws {
        for tied in [false, true] {
            let tiny = TinyLlama(seed: tied ? 7 : 8, tied: tied)
            let model = try load(tiny)
            let cache = model.makeCache()
            var batch = TokenBatch()
            batch.append(tokens, startPosition: 0, allLogits: true)
            var logits = [Float](repeating: .nan, count: tokens.count * tiny.vocabulary)
            try logits.withUnsafeMutableBufferPointer { try model.forward(batch, cache: cache, logits: $0.baseAddress!) }
            let reference = tiny.referenceLogits(tokens)
            for position in tokens.indices {
                assertClose(Array(logits[position * tiny.vocabulary..<(position + 1) * tiny.vocabulary]), reference[position])
            }
            XCTAssertEqual(cache.length(ofSlot: 0), tokens.count)
        }
    }

    /// One token at a time through the cache, and prefill in small internal chunks, give the same logits.
    func testDecodeAndChunkedPrefillAgreeWithOnePass() throws {
        let tiny = TinyLlama(seed: 3)
        let reference = tiny.referenceLogits(tokens)
        for (threads, chunk) in [(1, 256), (2, 3)] {
            let model = try load(tiny, threads: threads, maxBatchTokens: chunk)
            let cache = model.makeCache()
            var logits = [Float](repeating: 0, count: tiny.vocabulary)
            for (position, token) in tokens.enumerated() {
                var batch = TokenBatch()
                batch.append(token, position: position, wantsLogits: true)
                try logits.withUnsafeMutableBufferPointer { try model.forward(batch, cache: cache, logits: $0.baseAddress!) }
                assertClose(logits, reference[position])
            }
        }
    }

    /// Two sequences interleaved in one batch, in separate cache slots, each match the reference alone.
    func testSequencesInOneBatchDoNotSeeEachOther() throws {
        let tiny = TinyLlama(seed: 11)
        let model = try load(tiny)
        let other: [Int32] = [60, 1, 2, 33]
        let cache = model.makeCache(slots: 2)
        var batch = TokenBatch()
        batch.append(tokens.prefix(4), startPosition: 0, slot: 0)
        batch.append(other, startPosition: 0, slot: 1)
        var logits = [Float](repeating: 0, count: 2 * tiny.vocabulary)
        try logits.withUnsafeMutableBufferPointer { try model.forward(batch, cache: cache, logits: $0.baseAddress!) }
        assertClose(Array(logits[0..<tiny.vocabulary]), tiny.referenceLogits(Array(tokens.prefix(4)))[3])
        assertClose(Array(logits[tiny.vocabulary...]), tiny.referenceLogits(other)[3])
    }

    /// Decoding a sequence's next token beside other sequences' tokens gives bit for bit the logits
    /// of decoding it alone: what lets the batched engine promise batch-independent answers.
    func testBatchedDecodeIsBitIdenticalToDecodingAlone() throws {
        // Heads of 64 values: long enough for llama.cpp's two f16 dot orders to give different sums.
        let tiny = TinyLlama(seed: 13, embedding: 256)
        let model = try load(tiny)
        // Prompts long enough that some attention sum rounds differently in the other order.
        let prompts: [[Int32]] = [40, 25, 33].map { length in (0..<length).map { Int32(($0 * 37 + length) % 64) } }
        let next: [Int32] = [4, 50, 19]
        func prefilled(_ slots: Int) throws -> KVCache {
            let cache = model.makeCache(slots: slots)
            var logits = [Float](repeating: 0, count: tiny.vocabulary)
            for (slot, prompt) in prompts.enumerated() where slot < slots || slots == prompts.count {
                var batch = TokenBatch()
                batch.append(prompt, startPosition: 0, slot: slot)
                try logits.withUnsafeMutableBufferPointer { try model.forward(batch, cache: cache, logits: $0.baseAddress!) }
            }
            return cache
        }
        let together = try prefilled(prompts.count)
        var batch = TokenBatch()
        for (slot, token) in next.enumerated() { batch.append(token, position: prompts[slot].count, slot: slot, wantsLogits: true) }
        var batched = [Float](repeating: 0, count: prompts.count * tiny.vocabulary)
        try batched.withUnsafeMutableBufferPointer { try model.forward(batch, cache: together, logits: $0.baseAddress!) }

        for (slot, prompt) in prompts.enumerated() {
            let cache = model.makeCache()
            var single = TokenBatch()
            single.append(prompt, startPosition: 0)
            var logits = [Float](repeating: 0, count: tiny.vocabulary)
            try logits.withUnsafeMutableBufferPointer { try model.forward(single, cache: cache, logits: $0.baseAddress!) }
            single.removeAll()
            single.append(next[slot], position: prompt.count, wantsLogits: true)
            try logits.withUnsafeMutableBufferPointer { try model.forward(single, cache: cache, logits: $0.baseAddress!) }
            XCTAssertEqual(Array(batched[slot * tiny.vocabulary..<(slot + 1) * tiny.vocabulary]), logits, "sequence \(slot)")
        }
    }

    func testContextOverflowAndBadTokensAreTypedErrors() throws {
        let tiny = TinyLlama(seed: 5)
        let model = try load(tiny)
        let cache = model.makeCache(contextLimit: 4)
        var batch = TokenBatch()
        batch.append(tokens.prefix(5), startPosition: 0)
        var logits = [Float](repeating: 0, count: tiny.vocabulary)
        XCTAssertThrowsError(try logits.withUnsafeMutableBufferPointer { try model.forward(batch, cache: cache, logits: $0.baseAddress!) }) {
            XCTAssertTrue("\($0)".contains("needs 5 positions but the context holds 4"), "\($0)")
        }
        batch.removeAll()
        batch.append(Int32(tiny.vocabulary), position: 0, wantsLogits: true)
        XCTAssertThrowsError(try logits.withUnsafeMutableBufferPointer { try model.forward(batch, cache: cache, logits: $0.baseAddress!) }) {
            XCTAssertTrue("\($0)".contains("outside the vocabulary"), "\($0)")
        }
    }

    func testWrongTensorShapeNamesTheTensor() throws {
        var tiny = TinyLlama(seed: 1)
        tiny.tensors["blk.1.ffn_up.weight"] = Array(repeating: 0, count: 48 * 32)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        // Rewrite with a wrong declared shape for one tensor.
        var w = GGUFWriter()
        let good = FileManager.default.temporaryDirectory.appendingPathComponent("good-\(UUID().uuidString).gguf")
        try tiny.write(to: good)
        defer { try? FileManager.default.removeItem(at: good) }
        let file = try GGUFFile(path: good.path)
        for key in file.metadataKeys { w.set(key, file.metadata[key]!) }
        for info in file.tensors {
            let data = Data(bytes: file.data(of: info), count: info.byteCount)
            let shape = info.name == "blk.1.ffn_up.weight" ? [48, 32] : info.shape
            w.add(GGUFWriter.Tensor(name: info.name, shape: shape, format: info.format, data: data))
        }
        try w.write(to: url)
        XCTAssertThrowsError(try LlamaModel(gguf: GGUFFile(path: url.path), threads: 1)) {
            XCTAssertTrue("\($0)".contains("blk.1.ffn_up.weight"), "\($0)")
        }
    }
}
