@testable import LLM
import XCTest

/// The probe's plumbing, not its speed: every thread count reads the whole buffer exactly once per pass and
/// reports a finite positive rate.
final class ReadBandwidthProbeTests: XCTestCase {
    func testEveryThreadCountReadsTheWholeBufferOnce() {
        // 1 MiB + 3 vectors + 5 bytes: parts of unequal length, a tail shorter than the four chains, a ragged end.
        let bytes = (1 << 20) + 3 * 64 + 5
        for threads in [1, 2, 3, 5] {
            let probe = ReadBandwidthProbe(bytes: bytes, threads: threads)
            XCTAssertEqual(probe.bytes, (1 << 20) + 3 * 64)
            let result = probe.measure(passes: 2)
            XCTAssertEqual(result.valuesRead, Double(probe.bytes / 4), "threads \(threads)")
            XCTAssertTrue(result.bytesPerSecond.isFinite && result.bytesPerSecond > 0, "threads \(threads)")
        }
    }
}
