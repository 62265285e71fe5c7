import Foundation
import LLM
import ModelFiles
import TensorNumerics

/// A tiny random Llama written as an f32 GGUF, with a naive forward pass written independently of
/// the engine (plain arrays, full causal attention recomputed per position) to check it against.
struct TinyLlama {
    let layers = 2, embedding = 32, feedForward = 48, heads = 4, kvHeads = 2, vocabulary = 64
    let theta: Float = 10_000
    let epsilon: Float = 1e-5
    var headSize: Int { embedding / heads }
    var tensors: [String: [Float]] = [:]
    var tied: Bool

    init(seed: UInt64, tied: Bool = false) {
        self.tied = tied
        var random = Xoshiro256(seed: seed)
        func values(_ count: Int, scale: Float = 0.3) -> [Float] {
            (0..<count).map { _ in (random.nextUnitFloat() * 2 - 1) * scale }
        }
        tensors["token_embd.weight"] = values(vocabulary * embedding, scale: 1)
        if !tied { tensors["output.weight"] = values(vocabulary * embedding) }
        tensors["output_norm.weight"] = values(embedding).map { 1 + $0 }
        for l in 0..<layers {
            let p = "blk.\(l)."
            tensors[p + "attn_norm.weight"] = values(embedding).map { 1 + $0 }
            tensors[p + "ffn_norm.weight"] = values(embedding).map { 1 + $0 }
            tensors[p + "attn_q.weight"] = values(embedding * embedding)
            tensors[p + "attn_k.weight"] = values(kvHeads * headSize * embedding)
            tensors[p + "attn_v.weight"] = values(kvHeads * headSize * embedding)
            tensors[p + "attn_output.weight"] = values(embedding * embedding)
            tensors[p + "ffn_gate.weight"] = values(feedForward * embedding)
            tensors[p + "ffn_up.weight"] = values(feedForward * embedding)
            tensors[p + "ffn_down.weight"] = values(embedding * feedForward)
        }
    }

    /// The GGUF file of this model (no tokenizer: the engine alone is under test).
    func write(to url: URL) throws {
        var w = GGUFWriter()
        w.set("general.architecture", .string("llama"))
        w.set("llama.block_count", .uint32(UInt32(layers)))
        w.set("llama.embedding_length", .uint32(UInt32(embedding)))
        w.set("llama.feed_forward_length", .uint32(UInt32(feedForward)))
        w.set("llama.attention.head_count", .uint32(UInt32(heads)))
        w.set("llama.attention.head_count_kv", .uint32(UInt32(kvHeads)))
        w.set("llama.context_length", .uint32(128))
        w.set("llama.rope.freq_base", .float32(theta))
        w.set("llama.attention.layer_norm_rms_epsilon", .float32(epsilon))
        w.set("llama.vocab_size", .uint32(UInt32(vocabulary)))
        for (name, values) in tensors.sorted(by: { $0.key < $1.key }) {
            let shape = shapeOf(name)
            w.add(name: name, shape: shape, floats: values)
        }
        try w.write(to: url)
    }

    private func shapeOf(_ name: String) -> [Int] {
        let kv = kvHeads * headSize
        switch name.split(separator: ".").dropFirst(name.hasPrefix("blk") ? 2 : 0).first.map(String.init) ?? "" {
        case "token_embd", "output": return [embedding, vocabulary]
        case "output_norm", "attn_norm", "ffn_norm": return [embedding]
        case "attn_q", "attn_output": return [embedding, embedding]
        case "attn_k", "attn_v": return [embedding, kv]
        case "ffn_gate", "ffn_up": return [embedding, feedForward]
        case "ffn_down": return [feedForward, embedding]
        default: fatalError(name)
        }
    }

    // MARK: The naive reference

    private func matvec(_ w: [Float], _ x: [Float], rows: Int) -> [Float] {
        let cols = x.count
        return (0..<rows).map { r in (0..<cols).reduce(Float(0)) { $0 + w[r * cols + $1] * x[$1] } }
    }

    private func rmsNorm(_ x: [Float], _ g: [Float]) -> [Float] {
        let ms = x.reduce(0) { $0 + $1 * $1 } / Float(x.count)
        let s = 1 / (ms + epsilon).squareRoot()
        return zip(x, g).map { $0 * s * $1 }
    }

    private func rope(_ x: inout [Float], heads: Int, position: Int) {
        for h in 0..<heads {
            for i in 0..<headSize / 2 {
                let frequency = pow(theta, -Float(2 * i) / Float(headSize))
                let angle = Float(position) * frequency
                let a = x[h * headSize + 2 * i], b = x[h * headSize + 2 * i + 1]
                x[h * headSize + 2 * i] = a * cos(angle) - b * sin(angle)
                x[h * headSize + 2 * i + 1] = a * sin(angle) + b * cos(angle)
            }
        }
    }

    /// The logits after each token of `tokens`.
    func referenceLogits(_ tokens: [Int32]) -> [[Float]] {
        let t = tensors
        var keys = [[[Float]]](repeating: [], count: layers)
        var values = [[[Float]]](repeating: [], count: layers)
        var out: [[Float]] = []
        for (position, token) in tokens.enumerated() {
            var x = Array(t["token_embd.weight"]![Int(token) * embedding..<(Int(token) + 1) * embedding])
            for l in 0..<layers {
                let p = "blk.\(l)."
                let h = rmsNorm(x, t[p + "attn_norm.weight"]!)
                var q = matvec(t[p + "attn_q.weight"]!, h, rows: embedding)
                var k = matvec(t[p + "attn_k.weight"]!, h, rows: kvHeads * headSize)
                let v = matvec(t[p + "attn_v.weight"]!, h, rows: kvHeads * headSize)
                rope(&q, heads: heads, position: position)
                rope(&k, heads: kvHeads, position: position)
                keys[l].append(k)
                values[l].append(v)
                var attention = [Float](repeating: 0, count: embedding)
                for head in 0..<heads {
                    let kvHead = head / (heads / kvHeads)
                    var scores = keys[l].map { key in
                        (0..<headSize).reduce(Float(0)) { $0 + q[head * headSize + $1] * key[kvHead * headSize + $1] } / Float(headSize).squareRoot()
                    }
                    let m = scores.max()!
                    scores = scores.map { exp($0 - m) }
                    let sum = scores.reduce(0, +)
                    for (j, s) in scores.enumerated() {
                        for i in 0..<headSize { attention[head * headSize + i] += s / sum * values[l][j][kvHead * headSize + i] }
                    }
                }
                let o = matvec(t[p + "attn_output.weight"]!, attention, rows: embedding)
                x = zip(x, o).map(+)
                let h2 = rmsNorm(x, t[p + "ffn_norm.weight"]!)
                let g = matvec(t[p + "ffn_gate.weight"]!, h2, rows: feedForward)
                let u = matvec(t[p + "ffn_up.weight"]!, h2, rows: feedForward)
                let a = zip(g, u).map { $0 / (1 + exp(-$0)) * $1 }
                x = zip(x, matvec(t[p + "ffn_down.weight"]!, a, rows: embedding)).map(+)
            }
            let head = tied ? t["token_embd.weight"]! : t["output.weight"]!
            out.append(matvec(head, rmsNorm(x, t["output_norm.weight"]!), rows: vocabulary))
        }
        return out
    }
}
