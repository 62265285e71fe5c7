import Foundation
import TensorNumerics

/// Measures the machine's memory read bandwidth with a given number of threads: each thread of a pool sums its own
/// contiguous part of a buffer far larger than the caches, the way decoding streams the weights (every token reads
/// every weight once), so decode's share of it is meaningful only against a probe with the same thread count.
public struct ReadBandwidthProbe {
    /// Bytes streamed per pass (rounded down to whole 64-byte vectors).
    public let bytes: Int
    /// Threads streaming together.
    public let threads: Int

    /// A probe over `bytes` (default 1 GiB, 32 times this CPU's 32 MiB L3) read by `threads` threads.
    public init(bytes: Int = 1 << 30, threads: Int = 1) {
        precondition(bytes >= 64 && threads >= 1, "the probe needs at least 64 bytes and one thread")
        self.bytes = bytes / 64 * 64
        self.threads = threads
    }

    /// One measurement: the best rate over the passes, and the sum of every value read in the last pass (the buffer
    /// holds ones, so it counts the floats read: it shows every part was read once, and keeps the reads alive).
    public struct Result: Sendable {
        /// Bytes per second of the fastest pass.
        public let bytesPerSecond: Double
        /// Floats read in the last pass, as summed by the threads.
        public let valuesRead: Double
    }

    /// Streams the buffer `passes` times after one warm-up pass (which also places its pages) and returns the best.
    public func measure(passes: Int = 3) -> Result {
        let count = bytes / MemoryLayout<SIMD16<Float>>.stride
        let buffer = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: count)
        defer { buffer.deallocate() }
        let pool = ThreadPool(threadCount: threads)
        // Each thread first touches the part it will read.
        pool.parallelFor(count) { range in
            (buffer + range.lowerBound).initialize(repeating: SIMD16(repeating: 1), count: range.count)
        }
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: threads)
        defer { partial.deallocate() }
        var best = 0.0, total = 0.0
        for pass in 0...max(1, passes) {
            partial.initialize(repeating: 0, count: threads)
            let start = DispatchTime.now().uptimeNanoseconds
            // One chunk per thread (the pool splits `0..<threads` into `threads` chunks of one).
            pool.parallelFor(threads) { chunks in
                for part in chunks {
                    let lower = count * part / threads, upper = count * (part + 1) / threads
                    partial[part] = Self.sum(buffer + lower, upper - lower)
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            total = (0..<threads).reduce(0.0) { $0 + Double(partial[$1]) }
            if pass > 0 { best = max(best, Double(bytes) / seconds) }
        }
        return Result(bytesPerSecond: best, valuesRead: total)
    }

    /// The sum of `count` vectors from `p`, in four independent chains so that loads, not adds, set the pace.
    static func sum(_ p: UnsafePointer<SIMD16<Float>>, _ count: Int) -> Float {
        var a = SIMD16<Float>(), b = SIMD16<Float>(), c = SIMD16<Float>(), d = SIMD16<Float>()
        var i = 0
        while i + 4 <= count {
            a += p[i]; b += p[i + 1]; c += p[i + 2]; d += p[i + 3]
            i += 4
        }
        while i < count { a += p[i]; i += 1 }
        return ((a + b) + (c + d)).sum()
    }
}
