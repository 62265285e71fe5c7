import Foundation
import TensorNumerics

/// A read bandwidth probe's buffer and threads, kept for many passes: allocating and placing a buffer far larger
/// than the caches costs more than a pass, so measurements interleaved with other work (one pass around every
/// decoded token) reuse one session.
public final class ReadBandwidthSession {
    /// What is streamed, and by how many threads.
    public let probe: ReadBandwidthProbe
    private let count: Int
    private let buffer: UnsafeMutablePointer<SIMD16<Float>>
    private let partial: UnsafeMutablePointer<Float>
    private let pool: ThreadPool

    /// Allocates the probe's buffer of ones, each thread first touching the part it will read.
    public init(probe: ReadBandwidthProbe) {
        self.probe = probe
        count = probe.bytes / MemoryLayout<SIMD16<Float>>.stride
        buffer = .allocate(capacity: count)
        partial = .allocate(capacity: probe.threads)
        pool = ThreadPool(threadCount: probe.threads)
        let buffer = buffer
        pool.parallelFor(count) { range in
            (buffer + range.lowerBound).initialize(repeating: SIMD16(repeating: 1), count: range.count)
        }
    }

    deinit {
        buffer.deallocate()
        partial.deallocate()
    }

    /// Streams the whole buffer once, each thread its own contiguous part.
    public func pass() -> ReadBandwidthProbe.Result {
        let threads = probe.threads, count = count, buffer = buffer, partial = partial
        partial.initialize(repeating: 0, count: threads)
        let start = DispatchTime.now().uptimeNanoseconds
        // One chunk per thread (the pool splits `0..<threads` into `threads` chunks of one).
        pool.parallelFor(threads) { chunks in
            for part in chunks {
                let lower = count * part / threads, upper = count * (part + 1) / threads
                partial[part] = ReadBandwidthProbe.sum(buffer + lower, upper - lower)
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let total = (0..<threads).reduce(0.0) { $0 + Double(partial[$1]) }
        return ReadBandwidthProbe.Result(bytesPerSecond: Double(probe.bytes) / seconds, valuesRead: total)
    }
}
