import Foundation

/// The engine's queue and its thread: admits waiting requests into free slots, builds each
/// step's batch, runs the model and hands each sequence its logits.
///
/// The queue, the cancellation flags and the metrics are shared with callers under `condition`;
/// the slots, the cache and the sequences belong to the engine's thread alone.
final class EngineScheduler: @unchecked Sendable {
    let languageModel: LanguageModel
    let configuration: BatchEngine.Configuration
    let contextLimit: Int

    // Shared, guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [EngineJob] = []
    private var stopping = false
    private var cancelEverything = false
    private var stopped = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []
    /// Requests taken and not yet finished, waiting or running.
    private var inFlight = 0
    private var counters: EngineMetrics

    // The engine thread's own.
    private let cache: KVCache
    private var slotTokens: [[Int32]]
    private var freeSlots: [Int]
    private var active: [ActiveSequence] = []
    private var batch: TokenBatch
    private var rowOwners: [ActiveSequence] = []
    private let logits: UnsafeMutablePointer<Float>
    private let rawLogits: UnsafeMutablePointer<Float>
    /// Logits of every token of a scored prompt's pass (``scoringRows`` rows), allocated on first use.
    private var scoringLogits: UnsafeMutablePointer<Float>?
    /// Prompt tokens per pass when a prompt is scored: every one of them wants a row of logits.
    private let scoringRows: Int

    init(languageModel: LanguageModel, configuration: BatchEngine.Configuration) {
        self.languageModel = languageModel
        self.configuration = configuration
        let model = languageModel.model
        cache = model.makeCache(contextLimit: configuration.contextLimit, slots: configuration.slots)
        contextLimit = cache.contextLimit
        slotTokens = Array(repeating: [], count: configuration.slots)
        freeSlots = Array(0..<configuration.slots)
        batch = TokenBatch(capacity: model.maxBatchTokens)
        logits = .allocate(capacity: configuration.slots * model.config.vocabularySize)
        rawLogits = .allocate(capacity: model.config.vocabularySize)
        scoringRows = max(3, min(64, model.maxBatchTokens))
        counters = EngineMetrics(slots: configuration.slots,
                                 kvCacheCapacityPositions: configuration.slots * cache.contextLimit)
    }

    deinit {
        logits.deallocate()
        rawLogits.deallocate()
        scoringLogits?.deallocate()
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "biomed-r1 engine"
        thread.start()
    }

    // MARK: Callers' side

    func validate(_ request: GenerationRequest) throws {
        guard !request.prompt.isEmpty else { throw ModelError.emptyPrompt }
        let vocabulary = languageModel.model.config.vocabularySize
        if let bad = request.prompt.first(where: { $0 < 0 || Int($0) >= vocabulary }) {
            throw ModelError.invalidToken(bad, vocabularySize: vocabulary)
        }
        guard request.prompt.count + 1 <= contextLimit else {
            throw ModelError.contextOverflow(needed: request.prompt.count + 1, limit: contextLimit)
        }
    }

    func enqueue(_ job: EngineJob) throws {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { throw EngineError.shuttingDown }
        // Counting every unfinished request, not the queue alone, makes the limit independent
        // of how soon the engine's thread moves a request from the queue into a slot.
        guard inFlight < configuration.slots + configuration.maxQueued else {
            throw EngineError.queueFull(limit: configuration.maxQueued)
        }
        inFlight += 1
        pending.append(job)
        counters.queued = pending.count
        condition.signal()
    }

    func cancel(_ job: EngineJob) {
        condition.lock()
        job.cancelled = true
        condition.signal()
        condition.unlock()
    }

    var metrics: EngineMetrics {
        condition.lock()
        defer { condition.unlock() }
        return counters
    }

    func requestStop(cancelInFlight: Bool) {
        condition.lock()
        stopping = true
        cancelEverything = cancelEverything || cancelInFlight
        condition.signal()
        condition.unlock()
    }

    func waitUntilStopped() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            condition.lock()
            if stopped {
                condition.unlock()
                waiter.resume()
            } else {
                stopWaiters.append(waiter)
                condition.unlock()
            }
        }
    }

    // MARK: The engine's thread

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty && active.isEmpty && !stopping { condition.wait() }
            if stopping && pending.isEmpty && active.isEmpty { break }
            var cancelled: [ActiveSequence] = []
            for sequence in active where sequence.job.cancelled || cancelEverything {
                cancelled.append(sequence)
            }
            // Requests cancelled while waiting leave the queue now, not when a slot frees.
            let dropped = pending.filter { $0.cancelled || cancelEverything }
            pending.removeAll { $0.cancelled || cancelEverything }
            var admitted: [EngineJob] = []
            while !pending.isEmpty && admitted.count < freeSlots.count + cancelled.count {
                admitted.append(pending.removeFirst())
            }
            counters.queued = pending.count
            condition.unlock()

            for job in dropped { finishUnstarted(job) }
            for sequence in cancelled { finish(sequence, reason: .cancelled) }
            for job in admitted { admit(job) }
            if !active.isEmpty { step() }
            publishCounters()
        }
        stopped = true
        let waiters = stopWaiters
        stopWaiters.removeAll()
        condition.unlock()
        waiters.forEach { $0.resume() }
    }

    /// Gives `job` the free slot whose cached tokens share the longest prefix with its prompt.
    private func admit(_ job: EngineJob) {
        let prompt = job.request.prompt
        let scored = job.request.promptLogprobs != nil
        guard job.request.maxTokens > 0 || scored else { return finishUnstarted(job, reason: .length) }
        var chosen = 0
        var shared = -1
        for (index, slot) in freeSlots.enumerated() {
            let common = zip(slotTokens[slot], prompt).prefix { $0 == $1 }.count
            if common > shared { (chosen, shared) = (index, common) }
        }
        let slot = freeSlots.remove(at: chosen)
        // Re-run at least two prompt tokens: a prompt pass of several tokens sums attention in
        // tinyBLAS's order, so a reused prefix gives the same numbers as a fresh prompt.
        // A scored prompt runs whole: the cached prefix has no logits to score it with.
        let start = scored ? 0 : max(0, min(shared, prompt.count - 2))
        cache.truncate(slot: slot, to: start)
        slotTokens[slot].removeSubrange(start...)
        active.append(ActiveSequence(job: job, slot: slot, prefillStart: start, contextLimit: contextLimit,
                                     tokenizer: languageModel.tokenizer))
    }

    /// One forward pass: the pending token of every decoding sequence and the prompts of new
    /// ones that fit beside them; a prompt too long to fit runs in a pass of its own first.
    private func step() {
        let model = languageModel.model
        batch.removeAll()
        rowOwners.removeAll(keepingCapacity: true)
        for sequence in active where sequence.prefilled {
            batch.append(sequence.pendingToken, position: cache.length(ofSlot: sequence.slot),
                         slot: sequence.slot, wantsLogits: true)
            rowOwners.append(sequence)
        }
        var newcomers: [ActiveSequence] = []
        for sequence in active where !sequence.prefilled {
            let prompt = sequence.job.request.prompt[sequence.prefillStart...]
            if let k = sequence.job.request.promptLogprobs {
                score(sequence, alternatives: k)
            } else if batch.count + prompt.count <= model.maxBatchTokens {
                batch.append(prompt, startPosition: sequence.prefillStart, slot: sequence.slot)
                rowOwners.append(sequence)
                newcomers.append(sequence)
            } else {
                prefillAlone(sequence)
            }
            sequence.prefilled = true
        }
        guard !rowOwners.isEmpty else { return }
        let started = Date()
        do {
            try model.forward(batch, cache: cache, logits: logits)
        } catch {
            rowOwners.forEach { fail($0, error) }
            return
        }
        let seconds = Date().timeIntervalSince(started)
        record(busy: seconds, promptTokens: newcomers.reduce(0) { $0 + $1.result.prefillTokens })
        for sequence in newcomers {
            sequence.result.prefillSeconds = seconds
            sequence.decodeStart = Date()
        }
        for (row, sequence) in rowOwners.enumerated() {
            advance(sequence, logits: logits + row * model.config.vocabularySize)
        }
    }

    private func prefillAlone(_ sequence: ActiveSequence) {
        var own = TokenBatch(capacity: 0)
        own.append(sequence.job.request.prompt[sequence.prefillStart...], startPosition: sequence.prefillStart,
                   slot: sequence.slot)
        let started = Date()
        do {
            try languageModel.model.forward(own, cache: cache, logits: logits)
        } catch {
            return fail(sequence, error)
        }
        sequence.result.prefillSeconds = Date().timeIntervalSince(started)
        record(busy: sequence.result.prefillSeconds, promptTokens: sequence.result.prefillTokens)
        sequence.decodeStart = Date()
        advance(sequence, logits: logits)
    }

    /// Runs the prompt of a request that asked for its prompt's log-probabilities, in passes of its own of at
    /// most ``scoringRows`` tokens that all want logits, reports the scores, then goes on as `prefillAlone`.
    /// No pass holds a single token, whose attention would sum in llama.cpp's other order, so the numbers
    /// are those of an unscored prompt.
    private func score(_ sequence: ActiveSequence, alternatives k: Int) {
        let model = languageModel.model, vocabulary = model.config.vocabularySize
        let prompt = sequence.job.request.prompt
        let rows: UnsafeMutablePointer<Float>
        if let scoringLogits {
            rows = scoringLogits
        } else {
            rows = .allocate(capacity: scoringRows * vocabulary)
            scoringLogits = rows
        }
        var scores = [PromptTokenLogprob(id: prompt[0], logprob: nil)]
        scores.reserveCapacity(prompt.count)
        let started = Date()
        var start = 0, last = rows
        while start < prompt.count {
            var end = min(prompt.count, start + scoringRows)
            if prompt.count - end == 1 { end -= 1 }
            var pass = TokenBatch(capacity: end - start)
            pass.append(prompt[start..<end], startPosition: start, slot: sequence.slot, allLogits: true)
            do {
                try model.forward(pass, cache: cache, logits: rows)
            } catch {
                return fail(sequence, error)
            }
            // Row i - start predicts token i + 1.
            for i in start..<min(end, prompt.count - 1) {
                let row = UnsafeBufferPointer(start: rows + (i - start) * vocabulary, count: vocabulary)
                let next = prompt[i + 1]
                let logSumExp = LogProbabilities.logSumExp(row)
                scores.append(PromptTokenLogprob(id: next, logprob: row[Int(next)] - logSumExp,
                                                 topLogprobs: LogProbabilities.top(k, of: row, logSumExp: logSumExp)))
            }
            last = rows + (end - start - 1) * vocabulary
            start = end
        }
        sequence.result.prefillSeconds = Date().timeIntervalSince(started)
        record(busy: sequence.result.prefillSeconds, promptTokens: sequence.result.prefillTokens)
        sequence.job.continuation.yield(.prompt(scores))
        guard sequence.budget > 0 else { return finish(sequence, reason: .length) }
        sequence.decodeStart = Date()
        advance(sequence, logits: last)
    }

    /// Samples `sequence`'s next token from its row of logits, reports it, and ends the sequence
    /// when that token, a stop string or its budget says so.
    private func advance(_ sequence: ActiveSequence, logits row: UnsafeMutablePointer<Float>) {
        guard active.contains(where: { $0 === sequence }) else { return }
        let vocabulary = languageModel.model.config.vocabularySize
        let request = sequence.job.request
        var logSumExp: Float = 0
        if request.topLogprobs != nil {
            rawLogits.update(from: row, count: vocabulary)
            logSumExp = LogProbabilities.logSumExp(UnsafeBufferPointer(start: rawLogits, count: vocabulary))
        }
        let token = sequence.sampler.sample(UnsafeMutableBufferPointer(start: row, count: vocabulary))
        sequence.sampler.accept(token)
        sequence.result.tokens.append(token)

        var text = ""
        var reason: GenerationResult.FinishReason?
        if languageModel.stopTokenIDs.contains(token) {
            reason = .endOfGeneration
        } else {
            let (shown, stopped) = sequence.matcher.feed(sequence.decoder.append(token))
            text = shown
            if stopped {
                reason = .stopString
            } else if sequence.result.tokens.count >= sequence.budget {
                reason = .length
            }
        }
        if let reason, reason != .stopString {
            text += sequence.matcher.feed(sequence.decoder.flush()).emit + sequence.matcher.flush()
        }
        sequence.result.text += text

        var generated = GeneratedToken(id: token, text: text)
        if let k = request.topLogprobs {
            let raw = UnsafeBufferPointer(start: rawLogits, count: vocabulary)
            generated.logprob = raw[Int(token)] - logSumExp
            generated.topLogprobs = LogProbabilities.top(k, of: raw, logSumExp: logSumExp)
        }
        condition.lock()
        counters.generatedTokens += 1
        condition.unlock()
        sequence.job.continuation.yield(.token(generated))

        if let reason {
            finish(sequence, reason: reason)
        } else {
            sequence.pendingToken = token
        }
    }

    /// Ends a sequence that holds a slot: reports its result and frees the slot, whose cached
    /// tokens stay for a later prompt with the same prefix.
    private func finish(_ sequence: ActiveSequence, reason: GenerationResult.FinishReason) {
        guard let index = active.firstIndex(where: { $0 === sequence }) else { return }
        active.remove(at: index)
        sequence.result.finishReason = reason
        sequence.result.decodeSeconds = sequence.prefilled ? Date().timeIntervalSince(sequence.decodeStart) : 0
        let length = cache.length(ofSlot: sequence.slot)
        slotTokens[sequence.slot] = Array((sequence.job.request.prompt + sequence.result.tokens).prefix(length))
        freeSlots.append(sequence.slot)
        countFinished()
        sequence.job.continuation.yield(.finished(sequence.result))
        sequence.job.continuation.finish()
    }

    private func fail(_ sequence: ActiveSequence, _ error: Error) {
        guard let index = active.firstIndex(where: { $0 === sequence }) else { return }
        active.remove(at: index)
        cache.truncate(slot: sequence.slot, to: 0)
        slotTokens[sequence.slot] = []
        freeSlots.append(sequence.slot)
        countFinished()
        sequence.job.continuation.finish(throwing: error)
    }

    /// Ends a request that never got a slot (cancelled while waiting, or asked for no tokens).
    private func finishUnstarted(_ job: EngineJob, reason: GenerationResult.FinishReason = .cancelled) {
        let result = GenerationResult(text: "", tokens: [], finishReason: reason, prefillTokens: 0,
                                      promptTokens: job.request.prompt.count, prefillSeconds: 0, decodeSeconds: 0)
        countFinished()
        job.continuation.yield(.finished(result))
        job.continuation.finish()
    }

    private func record(busy seconds: Double, promptTokens: Int) {
        condition.lock()
        counters.busySeconds += seconds
        counters.promptTokens += promptTokens
        condition.unlock()
    }

    /// Counts a request as ended before its last event goes out, so that a caller who has its
    /// result reads metrics that include it.
    private func countFinished() {
        let used = active.reduce(0) { $0 + cache.length(ofSlot: $1.slot) }
        condition.lock()
        counters.requestsFinished += 1
        counters.running = active.count
        counters.kvCacheUsedPositions = used
        inFlight -= 1
        condition.unlock()
    }

    private func publishCounters() {
        let used = active.reduce(0) { $0 + cache.length(ofSlot: $1.slot) }
        condition.lock()
        counters.running = active.count
        counters.queued = pending.count
        counters.kvCacheUsedPositions = used
        condition.unlock()
    }
}
