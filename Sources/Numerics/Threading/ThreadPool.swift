#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A fixed set of worker threads for data-parallel loops; the calling thread takes part.
///
/// A dispatch costs a few microseconds: the job is published by bumping an atomic generation counter,
/// workers spin on it for a while (about 100 µs) before sleeping on a condition variable, and the caller
/// spins until the last chunk is done. Decode of a small model issues hundreds of dispatches per token, so
/// sleeping and waking through the kernel on every one would dominate.
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

    /// Splits `0..<count` into `threadCount` contiguous chunks whose bounds are multiples of `granularity`
    /// (the last one ends at `count`), runs `body` on each non-empty chunk in parallel, and returns when all
    /// have finished. The caller runs the first chunk. Allocates nothing.
    public func parallelFor(_ count: Int, granularity: Int = 1, _ body: (Range<Int>) -> Void) {
        precondition(granularity >= 1, "granularity must be at least 1")
        guard count > 0 else { return }
        let units = (count + granularity - 1) / granularity
        if threadCount == 1 || units == 1 || !shared.acquire() {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            shared.run(count: count, granularity: granularity, body: escapable)
        }
        shared.release()
    }
}

private final class WorkerContext {
    let state: PoolState
    let index: Int
    init(state: PoolState, index: Int) { self.state = state; self.index = index }
}

/// The state shared between the pool's owner and its workers.
private final class PoolState: @unchecked Sendable {
    let threadCount: Int
    /// Bumped once per job; workers run a job when they see a value they have not run.
    let generation = Atomic<UInt64>(0)
    /// Chunks of the current job not yet finished by workers.
    let pending = Atomic<Int>(0)
    /// Workers asleep (or about to sleep) on `condition`; the dispatcher signals only when non-zero.
    let sleepers = Atomic<Int>(0)
    /// Set while a `parallelFor` runs, so that a nested or concurrent call runs inline instead.
    let busy = Atomic<Bool>(false)
    let stopping = Atomic<Bool>(false)

    // The current job; written by the dispatcher before the generation bump (release), read after it (acquire).
    var count = 0
    var granularity = 1
    var body: ((Range<Int>) -> Void)?

    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let condition: UnsafeMutablePointer<pthread_cond_t>

    /// How long an idle worker polls before it sleeps: longer than the gap between two kernels of a decode step.
    static let spinNanoseconds: UInt64 = 200_000

    init(threadCount: Int) {
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

    /// The `index`-th of `threadCount` chunks of the current job.
    @inline(__always) func chunk(_ index: Int) -> Range<Int> {
        let units = (count + granularity - 1) / granularity
        let lower = Swift.min(count, units * index / threadCount * granularity)
        let upper = Swift.min(count, units * (index + 1) / threadCount * granularity)
        return lower..<upper
    }

    func run(count: Int, granularity: Int, body: @escaping (Range<Int>) -> Void) {
        self.count = count
        self.granularity = granularity
        self.body = body
        pending.store(threadCount - 1, ordering: .relaxed)
        generation.add(1, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        let mine = chunk(0)
        if !mine.isEmpty { body(mine) }
        // The workers' chunks are usually done by now or soon; yield only if they are slow (e.g. preempted).
        var spins = 0
        while pending.load(ordering: .acquiring) != 0 {
            spins += 1
            if spins > 20_000 { sched_yield() }
        }
        self.body = nil
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        generation.add(1, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    func workerLoop(index: Int) {
        var seen: UInt64 = 0
        while true {
            let current = waitForJob(after: seen)
            seen = current
            if stopping.load(ordering: .acquiring) { return }
            runChunk(index)
            pending.subtract(1, ordering: .releasing)
        }
    }

    /// Runs this worker's chunk. Not inlined so that every retain and release of `body` is over before the
    /// caller sees `pending` reach zero and `withoutActuallyEscaping` checks that the closure did not escape.
    @inline(never) private func runChunk(_ index: Int) {
        let mine = chunk(index)
        if !mine.isEmpty, let body { body(mine) }
    }

    /// Returns the first generation different from `seen`: spins, then sleeps.
    private func waitForJob(after seen: UInt64) -> UInt64 {
        var value = generation.load(ordering: .acquiring)
        if value != seen { return value }
        let start = Self.now()
        var spins = 0
        while true {
            value = generation.load(ordering: .acquiring)
            if value != seen { return value }
            spins += 1
            if spins & 255 == 0, Self.now() &- start > Self.spinNanoseconds { break }
        }
        pthread_mutex_lock(mutex)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while true {
            value = generation.load(ordering: .sequentiallyConsistent)
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
