import Foundation
import TensorNumerics

/// Measures the machine's memory read bandwidth with a given number of threads: each thread of a pool sums its own
/// contiguous part of a buffer far larger than the caches, the way decoding streams the weights (every token reads
/// every weight once), so decode's share of it is meaningful only against a probe with the same thread count.
public struct ReadBandwidthProbe: Sendable {
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

    /// One pass: its rate, and the sum of every value it read (the buffer holds ones, so it counts the floats read:
    /// it shows every part was read once, and keeps the reads alive).
    public struct Result: Sendable {
        /// Bytes per second.
        public let bytesPerSecond: Double
        /// Floats read, as summed by the threads.
        public let valuesRead: Double
    }

    /// Streams the buffer `passes` times after one warm-up pass (which also places its pages) and returns the fastest.
    public func measure(passes: Int = 3) -> Result {
        let session = ReadBandwidthSession(probe: self)
        _ = session.pass()
        var best = session.pass()
        for _ in 1..<max(1, passes) {
            let next = session.pass()
            if next.bytesPerSecond > best.bytesPerSecond { best = next }
        }
        return best
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
