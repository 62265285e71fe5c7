import AllocationCounter
import Foundation
import LLM
import TestSupport
import XCTest

/// The decode loop allocates nothing per token: buffers, caches, activations and sampler state are
/// all reused, and every parallel region of a step uses the pool's C-function form (a closure costs a
/// `withoutActuallyEscaping` sentinel per call).
/// Counted on the decoding thread, which runs every step's serial work and its share of each
/// parallel region (the pool's workers only run kernel chunks).
final class DecodeAllocationTests: XCTestCase {
    func testDecodingStepsAllocateNothing() throws {
        let lm = try LanguageModel(path: TestPaths.defaultModel().path, threads: 2)
        let model = lm.model
        let vocabulary = model.config.vocabularySize
        let cache = model.makeCache(contextLimit: 512)
        let logits = UnsafeMutableBufferPointer<Float>.allocate(capacity: vocabulary)
        defer { logits.deallocate() }
        var sampling = SamplingParameters(seed: 11)
        sampling.temperature = 0.8
        var sampler = Sampler(parameters: sampling)
        var batch = TokenBatch(capacity: 64)
        let prompt = lm.encodePrompt("The heart has four chambers:")
        batch.append(prompt, startPosition: 0)
        try model.forward(batch, cache: cache, logits: logits.baseAddress!)

        var position = prompt.count
        func step() throws {
            let token = sampler.sample(logits)
            sampler.accept(token)
            batch.removeAll()
            batch.append(token, position: position, wantsLogits: true)
            try model.forward(batch, cache: cache, logits: logits.baseAddress!)
            position += 1
        }
        for _ in 0..<4 { try step() }  // first use sizes the sampler's buffers

        allocation_counter_start()
        for _ in 0..<32 { try step() }
        let early = allocation_counter_stop()
        for _ in 0..<32 { try step() }
        allocation_counter_start()
        for _ in 0..<32 { try step() }
        let late = allocation_counter_stop()
        XCTAssertEqual(early, 0, "heap allocations in 32 decoding steps")
        XCTAssertEqual(late, 0, "heap allocations in 32 later decoding steps")

        // The counter does count: an array of fresh storage is one allocation.
        allocation_counter_start()
        let probe = [Int](repeating: position, count: 1000)
        XCTAssertGreaterThanOrEqual(allocation_counter_stop(), 1)
        XCTAssertEqual(probe.count, 1000)
    }
}
