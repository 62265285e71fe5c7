import TensorNumerics

/// Causal attention of the tokens of a pass against the KV cache, split into work items that share keys.
///
/// It rounds where llama.cpp's CPU attention rounds: the query to f16 like the cached keys, and
/// the softmax probabilities to f16 before they weight the f16 values (sums stay f32, in
/// llama.cpp's order for the number of the sequence's tokens in the pass: see `HalfDotOrder`;
/// counting per sequence keeps a sequence decoded among others bit-identical to one decoded
/// alone, so batching never changes an answer). On quantized models every later 8-bit activation
/// quantization turns such ~1e-3 differences into visible logit differences, so matching the
/// roundings keeps our logits on llama.cpp's.
///
/// An item is up to four query rows that read the same keys: heads of one KV group and tokens of
/// one sequence, taken token by token so that the rows of an item see nearly the same positions.
/// Scoring four rows against four keys at a time loads each key once for four rows. The items are
/// cut into one contiguous share per thread by their cost (rows × visible positions), so the causal
/// triangle and a head count that does not divide by the threads leave no thread idle.
final class CausalAttention {
    /// Up to four query rows of one sequence and one KV head.
    private struct Item {
        /// The KV head.
        var kvHead: Int
        /// The pass index of the sequence's first token in the pass.
        var runStart: Int
        /// The first of the item's rows among the run's rows (token-major: row r is token r / group, head r % group).
        var row: Int
        /// Rows in the item, 1...4.
        var rowCount: Int
        /// Keys the widest row sees.
        var keyCount: Int
        /// Whether the sequence has more than one token in the pass (llama.cpp's tiled order).
        var tiled: Bool
        /// Where the run's transposed values of this KV head start in `transposed` (tiled runs with
        /// the transposed kernel only, else -1).
        var transposedStart: Int
        /// The length of each transposed value row.
        var transposedStride: Int
    }

    /// A sequence's tokens in the pass whose values are transposed once per layer.
    private struct TransposedRun {
        var runStart: Int
        var keyCount: Int
        var start: Int
        var stride: Int
    }

    private let config: LlamaConfiguration
    private let shares: Int
    private let items: UnsafeMutablePointer<Item>
    private let itemCapacity: Int
    private var itemCount = 0
    /// Item index bounds of each thread's share (`shares + 1` entries).
    private let bounds: UnsafeMutablePointer<Int>
    /// Per share: four f16-rounded query rows, then four score rows of `scoreStride`.
    private var scratch: UnsafeMutablePointer<Float>
    private var scoreStride = 0
    private let runs: UnsafeMutablePointer<TransposedRun>
    private var runCount = 0
    /// The transposed values of the tiled runs, per run and KV head `headSize` rows.
    private var transposed: UnsafeMutablePointer<Float16>
    private var transposedCapacity = 0

    init(config: LlamaConfiguration, maxBatchTokens: Int, threads: Int) {
        self.config = config
        shares = max(1, threads)
        let group = config.headCount / config.keyValueHeadCount
        itemCapacity = config.keyValueHeadCount * ((maxBatchTokens * group + 3) / 4 + maxBatchTokens)
        items = .allocate(capacity: itemCapacity)
        bounds = .allocate(capacity: shares + 1)
        runs = .allocate(capacity: maxBatchTokens)
        transposed = .allocate(capacity: 1)
        scratch = .allocate(capacity: 1)
        reserve(positions: 256)
    }

    deinit {
        items.deallocate()
        bounds.deallocate()
        runs.deallocate()
        transposed.deallocate()
        scratch.deallocate()
    }

    /// Splits the pass `range` of `batch` into items and shares; the plan holds for every layer.
    func plan(_ batch: TokenBatch, range: Range<Int>) {
        let group = config.headCount / config.keyValueHeadCount
        itemCount = 0
        runCount = 0
        var widest = 1
        var total = 0
        var transposedSize = 0
        var runStart = range.lowerBound
        while runStart < range.upperBound {
            var runEnd = runStart + 1
            while runEnd < range.upperBound && batch.slots[runEnd] == batch.slots[runStart] { runEnd += 1 }
            let tiled = runEnd - runStart > 1
            var transposedStart = -1, transposedStride = 0
            if tiled && AttentionSoftmax.hasTransposedKernel {
                var keyCount = 0
                for i in runStart..<runEnd { keyCount = max(keyCount, batch.positions[i] + 1) }
                let stride = (keyCount + 15) / 16 * 16
                runs[runCount] = TransposedRun(runStart: runStart - range.lowerBound, keyCount: keyCount,
                                               start: transposedSize, stride: stride)
                runCount += 1
                transposedStart = transposedSize
                transposedStride = stride
                transposedSize += config.keyValueHeadCount * config.headSize * stride
            }
            let rows = (runEnd - runStart) * group
            for kvHead in 0..<config.keyValueHeadCount {
                var row = 0
                while row < rows {
                    let rowCount = min(4, rows - row)
                    var keyCount = 0
                    for r in row..<(row + rowCount) { keyCount = max(keyCount, batch.positions[runStart + r / group] + 1) }
                    items[itemCount] = Item(
                        kvHead: kvHead, runStart: runStart - range.lowerBound, row: row, rowCount: rowCount,
                        keyCount: keyCount, tiled: tiled,
                        transposedStart: transposedStart < 0 ? -1 : transposedStart + kvHead * config.headSize * transposedStride,
                        transposedStride: transposedStride)
                    itemCount += 1
                    widest = max(widest, keyCount)
                    total += rowCount * keyCount
                    row += rowCount
                }
            }
            runStart = runEnd
        }
        if transposedSize > transposedCapacity {
            transposedCapacity = max(transposedSize, 2 * transposedCapacity)
            transposed.deallocate()
            transposed = .allocate(capacity: transposedCapacity)
        }
        // Each share ends at the item whose end comes nearest its even part of the total cost.
        bounds[0] = 0
        var share = 1
        var done = 0
        for index in 0..<itemCount {
            let cost = items[index].rowCount * items[index].keyCount
            while share < shares && done + cost >= total * share / shares {
                let target = total * share / shares
                bounds[share] = target - done < done + cost - target ? index : index + 1
                share += 1
            }
            done += cost
        }
        while share <= shares {
            bounds[share] = itemCount
            share += 1
        }
        for s in 1...shares { bounds[s] = max(bounds[s], bounds[s - 1]) }
        reserve(positions: widest)
    }

    /// Attention of the planned pass at `layer`: reads the rows of `queries` (`queryWidth` floats per
    /// token of the pass) and writes the rows of `output`.
    func run(_ batch: TokenBatch, range: Range<Int>, layer: Int, cache: KVCache,
             queries: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        for run in UnsafeBufferPointer(start: runs, count: runCount) {
            let values = cache.slots[batch.slots[range.lowerBound + run.runStart]].values[layer]
            for kvHead in 0..<config.keyValueHeadCount {
                AttentionSoftmax.transpose(
                    values: values + kvHead * config.headSize, valueStride: config.keyValueWidth, count: run.keyCount,
                    width: config.headSize, into: transposed + run.start + kvHead * config.headSize * run.stride,
                    transposedStride: run.stride)
            }
        }
        // The C-function form of the pool: a closure would allocate on every layer of every token.
        var pass = Pass(attention: self, batch: batch, range: range, layer: layer, cache: cache,
                        queries: queries, output: output)
        withUnsafePointer(to: &pass) { context in
            pool.parallelFor(shares, context: UnsafeRawPointer(context)) { context, lower, upper in
                let pass = context.assumingMemoryBound(to: Pass.self)
                for share in lower..<upper { pass.pointee.attention.run(share: share, pass) }
            }
        }
    }

    /// What the shares of one pass read: the context of its pool loop.
    private struct Pass {
        let attention: CausalAttention
        let batch: TokenBatch
        let range: Range<Int>
        let layer: Int
        let cache: KVCache
        let queries: UnsafePointer<Float>
        let output: UnsafeMutablePointer<Float>
    }

    /// The items of share `share`.
    private func run(share: Int, _ pass: UnsafePointer<Pass>) {
        for index in bounds[share]..<bounds[share + 1] {
            attend(items[index], batch: pass.pointee.batch, range: pass.pointee.range, layer: pass.pointee.layer,
                   cache: pass.pointee.cache, queries: pass.pointee.queries, output: pass.pointee.output,
                   scratch: scratch + share * shareFloats)
        }
    }

    private var shareFloats: Int { 8 * config.headSize + 4 * scoreStride }

    private func attend(_ item: Item, batch: TokenBatch, range: Range<Int>, layer: Int, cache: KVCache,
                        queries: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let c = config
        let group = c.headCount / c.keyValueHeadCount
        let slot = cache.slots[batch.slots[range.lowerBound + item.runStart]]
        let kvOffset = item.kvHead * c.headSize
        let keys = slot.keys[layer] + kvOffset, values = slot.values[layer] + kvOffset
        let order: HalfDotOrder = item.tiled ? .tiled : .vector
        let queryRows = scratch, scores = scratch + 4 * c.headSize
        // Rows beyond the item repeat its last row: their scores are computed and ignored.
        for r in 0..<4 {
            let row = item.row + min(r, item.rowCount - 1)
            let q = queries + (item.runStart + row / group) * c.queryWidth + (item.kvHead * group + row % group) * c.headSize
            for d in 0..<c.headSize { queryRows[r * c.headSize + d] = Float(Float16(q[d])) }
        }
        AttentionScores.rows(
            queries: queryRows, queryStride: c.headSize, keys: keys, keyStride: c.keyValueWidth,
            keyCount: item.keyCount, width: c.headSize, order: order,
            scale: 1 / Float(c.headSize).squareRoot(), scores: scores, scoreStride: scoreStride)
        var counts = (0, 0, 0, 0)
        for r in 0..<item.rowCount {
            let row = item.row + r
            let t = item.runStart + row / group
            let visible = batch.positions[range.lowerBound + t] + 1
            let e = scores + r * scoreStride
            let maximum = AttentionSoftmax.maximum(e, count: visible)
            let inverse = Float(1 / AttentionSoftmax.exponentiate(e, count: visible, maximum: maximum))
            AttentionSoftmax.roundProbabilities(e, count: visible, inverseSum: inverse)
            let out = output + t * c.queryWidth + (item.kvHead * group + row % group) * c.headSize
            switch r {
            case 0: counts.0 = visible
            case 1: counts.1 = visible
            case 2: counts.2 = visible
            default: counts.3 = visible
            }
            if item.transposedStart < 0 {
                AttentionSoftmax.weightedSum(
                    weights: e, count: visible, values: values, valueStride: c.keyValueWidth, width: c.headSize,
                    output: out, order: order)
            }
        }
        guard item.transposedStart >= 0 else { return }
        let sums = scores + 4 * scoreStride
        AttentionSoftmax.weightedSums(
            weights: scores, weightStride: scoreStride, counts: counts, transposedValues: transposed + item.transposedStart,
            transposedStride: item.transposedStride, width: c.headSize,
            output: sums, outputStride: c.headSize)
        for r in 0..<item.rowCount {
            let row = item.row + r
            let t = item.runStart + row / group
            (output + t * c.queryWidth + (item.kvHead * group + row % group) * c.headSize)
                .update(from: sums + r * c.headSize, count: c.headSize)
        }
    }

    /// Makes each share's score rows hold `positions` positions (rounded up, with the padding
    /// `exponentiate` writes).
    private func reserve(positions: Int) {
        let needed = (positions + 15) / 16 * 16 + 16
        guard needed > scoreStride else { return }
        scoreStride = max(needed, 2 * scoreStride)
        scratch.deallocate()
        scratch = .allocate(capacity: shares * shareFloats)
    }
}
