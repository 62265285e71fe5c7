#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A fixed set of worker threads for data-parallel loops; the calling thread takes part.
///
/// A dispatch costs well under a microsecond when the workers are awake: the job is published by one atomic
/// store, workers spin on it for a while (about 200 µs) before sleeping on a condition variable, and the caller
/// spins until the last chunk is done. Decode of a small model issues hundreds of dispatches per token, so
/// sleeping and waking through the kernel on every one would dominate.
///
/// Chunks are claimed, not assigned: a worker that has not started yet (asleep, or its core taken by another
/// process) leaves its chunk to the caller instead of making it wait.
///
/// `parallelFor` is meant to be called from one thread at a time. A call made while another is running (from
/// inside a body, or from a second thread) does not deadlock: it runs its whole range inline on its own thread.
public final class ThreadPool: @unchecked Sendable {
    /// Threads taking part in each `parallelFor`, the caller included.
    public let threadCount: Int

    private let shared: PoolState
    private var threads: [pthread_t] = []

    /// Starts `threadCount - 1` workers. `threadCount` must be at least 1; 1 runs every loop inline.
    public init(threadCount: Int) {
        precondition(threadCount >= 1, "ThreadPool needs at least one thread, got \(threadCount)")
        self.threadCount = threadCount
        shared = PoolState(threadCount: threadCount)
        for index in 1..<threadCount {
            let context = Unmanaged.passRetained(WorkerContext(state: shared, index: index)).toOpaque()
            #if canImport(Glibc)
            var thread = pthread_t()
            #else
            var thread: pthread_t?
            #endif
            let status = pthread_create(&thread, nil, { raw in
                #if canImport(Glibc)
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                #else
                let context = Unmanaged<WorkerContext>.fromOpaque(raw).takeRetainedValue()
                #endif
                context.state.workerLoop(index: context.index)
                return nil
            }, context)
            precondition(status == 0, "pthread_create failed with \(status)")
            #if canImport(Glibc)
            threads.append(thread)
            #else
            threads.append(thread!)
            #endif
        }
    }

    deinit {
        shared.stop()
        for thread in threads { pthread_join(thread, nil) }
    }

    /// Splits `0..<count` into `threadCount × chunksPerThread` contiguous chunks (fewer when there are fewer
    /// units of `granularity`) whose bounds are multiples of `granularity` (the last one ends at `count`), runs
    /// `body` on each non-empty chunk in parallel, and returns when all have finished. Each chunk runs on
    /// whichever thread claims it first, the caller included, so with several chunks per thread a thread
    /// slowed by another process does less of the work instead of holding up the rest.
    ///
    /// Handing a non-escaping closure to the workers costs one small heap allocation per call (the sentinel
    /// of `withoutActuallyEscaping`); loops run on every token use the form with a C function and a context
    /// pointer, which allocates nothing.
    public func parallelFor(_ count: Int, granularity: Int = 1, chunksPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
        precondition(granularity >= 1, "granularity must be at least 1")
        precondition(chunksPerThread >= 1, "chunksPerThread must be at least 1")
        guard count > 0 else { return }
        let units = (count + granularity - 1) / granularity
        if threadCount == 1 || units == 1 || !shared.acquire() {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            dispatch(count, granularity, units, chunksPerThread, ClosureJob(body: escapable))
        }
        shared.release()
    }

    /// `parallelFor` over a C function called with `context` and the bounds of each chunk: the same
    /// splitting and claiming as the closure form, without allocating. `context` must stay valid until
    /// the call returns (point it at a value on the caller's stack).
    public func parallelFor(_ count: Int, granularity: Int = 1, chunksPerThread: Int = 1, context: UnsafeRawPointer,
                            _ body: @convention(c) (UnsafeRawPointer, Int, Int) -> Void) {
        precondition(granularity >= 1, "granularity must be at least 1")
        precondition(chunksPerThread >= 1, "chunksPerThread must be at least 1")
        guard count > 0 else { return }
        let units = (count + granularity - 1) / granularity
        if threadCount == 1 || units == 1 || !shared.acquire() {
            body(context, 0, count)
            return
        }
        dispatch(count, granularity, units, chunksPerThread, FunctionJob(context: context, body: body))
        shared.release()
    }

    /// Runs `job` over the chunks. The existential keeps `job` inline (it is at most two words), so passing
    /// it to the workers as a pointer allocates nothing.
    /// The job word holds at most `UInt16.max` chunks.
    private func dispatch(_ count: Int, _ granularity: Int, _ units: Int, _ chunksPerThread: Int, _ job: any PoolJob) {
        let limit = Int(UInt16.max)
        let chunks = Swift.min(units, limit, threadCount * Swift.min(chunksPerThread, limit))
        withUnsafePointer(to: job) { pointer in
            shared.run(count: count, granularity: granularity, chunks: chunks, body: UnsafeRawPointer(pointer))
        }
    }
}

/// A job as the workers see it.
private protocol PoolJob {
    func run(_ range: Range<Int>)
}

/// A closure job (made escapable for the duration of the call).
private struct ClosureJob: PoolJob {
    let body: (Range<Int>) -> Void
    func run(_ range: Range<Int>) { body(range) }
}

/// A C function job.
private struct FunctionJob: PoolJob {
    let context: UnsafeRawPointer
    let body: @convention(c) (UnsafeRawPointer, Int, Int) -> Void
    func run(_ range: Range<Int>) { body(context, range.lowerBound, range.upperBound) }
}

private final class WorkerContext {
    let state: PoolState
    let index: Int
    init(state: PoolState, index: Int) { self.state = state; self.index = index }
}

/// The state shared between the pool's owner and its workers.
///
/// The job word packs the job's generation (bits 32...), its chunk count (bits 16..<32) and the next unclaimed
/// chunk (bits 0..<16). A thread claims a chunk by a compare-and-swap that also checks the generation, so it
/// never runs a chunk of a job other than the one whose parameters it reads; the parameters of a job are only
/// replaced once all its chunks are done, which needs the claimed chunk to finish first.
private final class PoolState: @unchecked Sendable {
    let threadCount: Int
    let job = Atomic<UInt64>(0)
    /// Chunks of the current job finished.
    let done = Atomic<Int>(0)
    /// Workers asleep (or about to sleep) on `condition`; the dispatcher signals only when non-zero.
    let sleepers = Atomic<Int>(0)
    /// Set while a `parallelFor` runs, so that a nested or concurrent call runs inline instead.
    let busy = Atomic<Bool>(false)
    let stopping = Atomic<Bool>(false)
    private var generation: UInt64 = 0

    // The current job; written by the dispatcher before it publishes `job` (release), read after a claim (acquire).
    var count = 0
    var granularity = 1
    /// Points at the caller's `any PoolJob` for the duration of the job. A raw pointer, so that
    /// workers neither retain nor release what the job captures.
    var body: UnsafeRawPointer?

    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let condition: UnsafeMutablePointer<pthread_cond_t>

    /// How long an idle worker polls before it sleeps: longer than the gap between two kernels of a decode step.
    static let spinNanoseconds: UInt64 = 200_000

    init(threadCount: Int) {
        precondition(threadCount < 1 << 16, "too many threads")
        self.threadCount = threadCount
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(condition)
        mutex.deallocate()
        condition.deallocate()
    }

    func acquire() -> Bool {
        busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    func release() { busy.store(false, ordering: .releasing) }

    @inline(__always) static func generation(_ word: UInt64) -> UInt64 { word >> 32 }

    /// The `index`-th of `chunks` chunks of the current job.
    @inline(__always) func chunk(_ index: Int, of chunks: Int) -> Range<Int> {
        let units = (count + granularity - 1) / granularity
        let lower = Swift.min(count, units * index / chunks * granularity)
        let upper = Swift.min(count, units * (index + 1) / chunks * granularity)
        return lower..<upper
    }

    func run(count: Int, granularity: Int, chunks chunkCount: Int, body: UnsafeRawPointer) {
        self.count = count
        self.granularity = granularity
        self.body = body
        done.store(0, ordering: .relaxed)
        generation += 1
        let chunks = UInt64(chunkCount)
        job.store(generation << 32 | chunks << 16, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        runChunks(of: generation)
        // Only chunks that workers have claimed remain; they are running now.
        var spins = 0
        while done.load(ordering: .acquiring) != chunkCount {
            spins += 1
            if spins > 2_000 { sched_yield() }
        }
        self.body = nil
    }

    /// Claims and runs chunks of job `generation` until none is left.
    func runChunks(of generation: UInt64) {
        while true {
            let word = job.load(ordering: .acquiring)
            guard Self.generation(word) == generation else { return }
            let chunks = Int((word >> 16) & 0xffff), next = Int(word & 0xffff)
            guard next < chunks else { return }
            guard job.compareExchange(expected: word, desired: word + 1, ordering: .acquiringAndReleasing).exchanged else {
                continue
            }
            runChunk(next, of: chunks)
            done.add(1, ordering: .releasing)
        }
    }

    /// Not inlined so that the call through `body` is complete before `done` is incremented.
    @inline(never) private func runChunk(_ index: Int, of chunks: Int) {
        let range = chunk(index, of: chunks)
        guard !range.isEmpty, let body else { return }
        body.assumingMemoryBound(to: (any PoolJob).self).pointee.run(range)
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        job.store((generation + 1) << 32, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    func workerLoop(index: Int) {
        var seen: UInt64 = 0
        while true {
            seen = waitForJob(after: seen)
            if stopping.load(ordering: .acquiring) { return }
            runChunks(of: seen)
        }
    }

    /// Returns the first job generation different from `seen`: spins, then sleeps.
    private func waitForJob(after seen: UInt64) -> UInt64 {
        var value = Self.generation(job.load(ordering: .acquiring))
        if value != seen { return value }
        let start = Self.now()
        var spins = 0
        while true {
            value = Self.generation(job.load(ordering: .acquiring))
            if value != seen { return value }
            spins += 1
            if spins & 255 == 0, Self.now() &- start > Self.spinNanoseconds { break }
        }
        pthread_mutex_lock(mutex)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while true {
            value = Self.generation(job.load(ordering: .sequentiallyConsistent))
            if value != seen { break }
            pthread_cond_wait(condition, mutex)
        }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
        return value
    }

    @inline(__always) static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
