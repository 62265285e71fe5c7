import LLM

extension LlamaModel {
    /// The logits of every position of `ids` run as one batch from an empty cache, one row per token.
    func logitRows(_ ids: [Int32]) throws -> [[Float]] {
        let cache = makeCache()
        var batch = TokenBatch()
        batch.append(ids, startPosition: 0, allLogits: true)
        let v = config.vocabularySize
        var flat = [Float](repeating: .nan, count: ids.count * v)
        try flat.withUnsafeMutableBufferPointer { try forward(batch, cache: cache, logits: $0.baseAddress!) }
        return (0..<ids.count).map { Array(flat[$0 * v..<($0 + 1) * v]) }
    }

    /// `steps` greedy tokens after `prompt`, decoding one token at a time through the cache.
    func greedy(_ prompt: [Int32], steps: Int) throws -> [Int32] {
        let cache = makeCache()
        var row = [Float](repeating: 0, count: config.vocabularySize)
        var batch = TokenBatch()
        batch.append(prompt, startPosition: 0)
        var out: [Int32] = []
        for _ in 0..<steps {
            try row.withUnsafeMutableBufferPointer { try forward(batch, cache: cache, logits: $0.baseAddress!) }
            let next = Int32(row.indices.max { row[$0] < row[$1] }!)
            out.append(next)
            batch.removeAll()
            batch.append(next, position: prompt.count + out.count - 1, wantsLogits: true)
        }
        return out
    }
}
