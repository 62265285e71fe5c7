import Foundation
import LLM
import ModelFiles
import TestSupport
import XCTest

/// The tiny LlamaForCausalLM checkpoints that `scripts/make-tiny-hf-llama.py` wrote with transformers,
/// loaded as folders and compared with transformers' logits and greedy continuations.
final class HuggingFaceCheckpointTests: XCTestCase {
    private struct Reference: Decodable {
        struct Prompt: Decodable {
            let ids: [Int32]
            let logits: [[Float]]
            let logits_bf16_activations: [[Float]]?
            let greedy: [Int32]?
        }
        let prompts: [Prompt]
    }

    private func reference(_ folder: URL) throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: folder.appendingPathComponent("reference.json")))
    }

    /// Both sides multiply the same bf16 weights in f32, but the engine (as llama.cpp) rounds each
    /// activation vector to bf16 before a bf16 matrix (relative error up to 2⁻⁹) and keeps keys,
    /// values and attention probabilities in f16 (2⁻¹¹). The script measures what the bf16
    /// rounding alone does to transformers' logits (`logits_bf16_activations`: 0.036–0.041 here,
    /// on logits up to 5); the engine may differ from plain transformers by at most twice that
    /// (measured 0.039–0.045), and never more than 0.08 (1.6 % of the largest logit). A wrong RoPE
    /// pairing, scaling factor, norm or head moves logits by O(0.1–1).
    static let tolerance: Float = 0.08

    func testFoldersMatchTransformersLogitsAndGreedy() throws {
        for name in ["tied-bf16", "untied-bf16-sharded"] {
            let folder = TestPaths.fixture("hf-llama/\(name)")
            let model = try LlamaModel(folder: folder.path, threads: 2)
            XCTAssertEqual(model.config.ropePairing, .halves)
            XCTAssertNotNil(model.config.ropeFrequencyFactors, name)
            let expected = try reference(folder)
            var worst: Float = 0, roundingEffect: Float = 0
            for prompt in expected.prompts {
                let got = try model.logitRows(prompt.ids)
                XCTAssertEqual(got.count, prompt.logits.count)
                for (a, (b, e)) in zip(got, zip(prompt.logits, prompt.logits_bf16_activations!)) {
                    XCTAssertEqual(a.count, b.count)
                    worst = max(worst, zip(a, b).map { abs($0 - $1) }.max() ?? .infinity)
                    roundingEffect = max(roundingEffect, zip(b, e).map { abs($0 - $1) }.max() ?? .infinity)
                }
                XCTAssertEqual(try model.greedy(prompt.ids, steps: prompt.greedy!.count), prompt.greedy, name)
            }
            XCTAssertLessThan(worst, Self.tolerance, "\(name): max |logit difference| \(worst)")
            XCTAssertLessThan(worst, 2 * roundingEffect, "\(name): max |logit difference| \(worst), bf16 rounding alone \(roundingEffect)")
            print("\(name): max |logit difference| vs transformers \(worst); bf16 activation rounding alone moves transformers' logits by \(roundingEffect)")
        }
    }

    /// The compressed-tensors FP8 variant (scripts/make-tiny-fp8-llama.py): projections stay e4m3 and
    /// are scaled on output, per channel in layer 0 and per tensor in layer 1. The reference
    /// multiplies the same dequantized values in f32, and the e4m3 kernel takes f32 activations, so
    /// the projections differ only in f32 rounding order; what remains is the f16 KV cache and
    /// attention probabilities (2⁻¹¹) and the bf16 lm_head's bf16-rounded input (2⁻⁹ on one
    /// product, ≈0.01 on these logits); measured 0.009, allowed 0.025. A missing or misapplied scale (values
    /// of order 1e-3) would be off by orders of magnitude.
    func testFP8CompressedTensorsMatchesDequantizedTransformers() throws {
        let folder = TestPaths.fixture("hf-llama/untied-fp8")
        let config = try HuggingFaceConfig(folder: folder.path)
        XCTAssertTrue(config.quantizationConfigJSON?.contains("compressed-tensors") ?? false)
        let model = try LlamaModel(folder: folder.path, threads: 2)
        let layers = model.weights.layers
        XCTAssertEqual(layers[0].query.format, .f8e4m3)
        XCTAssertEqual(layers[1].down.format, .f8e4m3)
        XCTAssertEqual(layers[0].scales.gate?.count, model.config.feedForwardSize)
        XCTAssertEqual(layers[1].scales.gate?.count, 1)
        XCTAssertEqual(model.weights.output.format, .bf16)
        var worst: Float = 0
        for prompt in try reference(folder).prompts {
            for (a, b) in zip(try model.logitRows(prompt.ids), prompt.logits) {
                XCTAssertEqual(a.count, b.count)
                worst = max(worst, zip(a, b).map { abs($0 - $1) }.max() ?? .infinity)
            }
        }
        XCTAssertLessThan(worst, 0.025, "max |logit difference| \(worst)")
        print("untied-fp8: max |logit difference| vs dequantized transformers \(worst)")
    }

    /// e4m3 values without their `weight_scale` would give outputs off by the scale: a typed error naming it.
    func testFP8WeightWithoutItsScaleIsNamed() throws {
        let folder = try scratchCopy("untied-fp8")
        let url = folder.appendingPathComponent("model.safetensors")
        let file = try SafetensorsFile(path: url.path)
        var writer = SafetensorsWriter()
        for info in file.tensors where info.name != "model.layers.1.mlp.up_proj.weight_scale" {
            writer.add(name: info.name, dtype: info.dtype, shape: info.shape, data: Data(bytes: file.data(of: info), count: info.byteCount))
        }
        let data = try writer.serialized()
        try FileManager.default.removeItem(at: url)
        try data.write(to: url)
        XCTAssertThrowsError(try LlamaModel(folder: folder.path, threads: 1)) { error in
            XCTAssertEqual(error as? CheckpointError, .missingTensor(folder: folder.path, tensor: "model.layers.1.mlp.up_proj.weight_scale"))
        }
    }

    func testTiedAndUntiedHeadsComeFromTheConfig() throws {
        let tied = try LlamaModel(folder: TestPaths.fixture("hf-llama/tied-bf16").path, threads: 1)
        XCTAssertEqual(tied.weights.output.base, tied.weights.tokenEmbedding.base)
        let untied = try LlamaModel(folder: TestPaths.fixture("hf-llama/untied-bf16-sharded").path, threads: 1)
        XCTAssertNotEqual(untied.weights.output.base, untied.weights.tokenEmbedding.base)
        XCTAssertEqual(untied.config.keyValueHeadCount * 2, untied.config.headCount)
    }

    /// Copies a fixture folder so that a test can break it.
    private func scratchCopy(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hf-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestPaths.fixture("hf-llama/\(name)"), to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testMissingShardNamesTheIndexShardAndTensor() throws {
        let folder = try scratchCopy("untied-bf16-sharded")
        let shard = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".safetensors") }.sorted().last!
        try FileManager.default.removeItem(at: folder.appendingPathComponent(shard))
        XCTAssertThrowsError(try LlamaModel(folder: folder.path, threads: 1)) { error in
            guard case CheckpointError.missingShard(let index, let missing, let tensor) = error else {
                return XCTFail("\(error)")
            }
            XCTAssertTrue(index.hasSuffix(SafetensorsCheckpoint.indexName))
            XCTAssertEqual(missing, shard)
            XCTAssertFalse(tensor.isEmpty)
            XCTAssertTrue("\(error)".contains(shard))
        }
    }

    func testTensorMissingFromItsShardOrFromTheIndexIsNamed() throws {
        let folder = try scratchCopy("untied-bf16-sharded")
        let indexURL = folder.appendingPathComponent(SafetensorsCheckpoint.indexName)
        var index = try JSONSerialization.jsonObject(with: Data(contentsOf: indexURL)) as! [String: Any]
        var map = index["weight_map"] as! [String: String]
        // A tensor the index puts in the wrong shard.
        let shards = Set(map.values).sorted()
        XCTAssertGreaterThan(shards.count, 1, "the fixture must be sharded")
        let moved = map.first { $0.value == shards[0] }!.key
        map[moved] = shards[1]
        index["weight_map"] = map
        try JSONSerialization.data(withJSONObject: index).write(to: indexURL)
        XCTAssertThrowsError(try SafetensorsCheckpoint(folder: folder.path)) { error in
            XCTAssertEqual(error as? SafetensorsError, .missingTensor(path: folder.appendingPathComponent(shards[1]).path, tensor: moved))
        }
        // A tensor the index leaves out.
        map.removeValue(forKey: "model.layers.1.mlp.up_proj.weight")
        map[moved] = shards[0]
        index["weight_map"] = map
        try JSONSerialization.data(withJSONObject: index).write(to: indexURL)
        XCTAssertThrowsError(try LlamaModel(folder: folder.path, threads: 1)) { error in
            XCTAssertEqual(error as? CheckpointError, .missingTensor(folder: folder.path, tensor: "model.layers.1.mlp.up_proj.weight"))
        }
    }

    func testConfigReadsLlama31Fields() throws {
        let config = try HuggingFaceConfig(folder: TestPaths.fixture("hf-llama/untied-bf16-sharded").path)
        XCTAssertEqual(config.architectures, ["LlamaForCausalLM"])
        XCTAssertEqual(config.ropeScaling?.type, "llama3")
        XCTAssertEqual(config.ropeScaling?.factor, 8)
        XCTAssertEqual(config.ropeScaling?.originalMaxPositionEmbeddings, 8192)
        XCTAssertEqual(config.eosTokenIDs, [2, 3])
        XCTAssertEqual(config.bosTokenIDs, [1])
        XCTAssertFalse(config.tieWordEmbeddings)
        let llama = try LlamaConfiguration(huggingFace: config)
        XCTAssertEqual(llama.contextLength, config.maxPositionEmbeddings)
        // transformers' llama3 factors: 1 for short wavelengths, `factor` for long, between in the band.
        let factors = try XCTUnwrap(llama.ropeFrequencyFactors)
        XCTAssertEqual(factors.first, 1)
        XCTAssertEqual(factors.last, 8)
        XCTAssertTrue(factors.contains { $0 > 1 && $0 < 8 })
    }

    func testPromptOverTheContextLimitIsATypedError() throws {
        let model = try LlamaModel(folder: TestPaths.fixture("hf-llama/tied-bf16").path, threads: 1)
        let cache = model.makeCache(contextLimit: 4)
        var batch = TokenBatch()
        batch.append([1, 2, 3, 4, 5], startPosition: 0)
        var logits = [Float](repeating: 0, count: model.config.vocabularySize)
        XCTAssertThrowsError(try logits.withUnsafeMutableBufferPointer { try model.forward(batch, cache: cache, logits: $0.baseAddress!) }) {
            guard case ModelError.contextOverflow = $0 else { return XCTFail("\($0)") }
        }
    }
}
