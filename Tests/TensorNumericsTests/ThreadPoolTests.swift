import XCTest
import Foundation
import Synchronization
@testable import TensorNumerics

final class ThreadPoolTests: XCTestCase {
    func testEveryIndexVisitedExactlyOnce() {
        for threads in [1, 2, 3, 4, 7] {
            let pool = ThreadPool(threadCount: threads)
            XCTAssertEqual(pool.threadCount, threads)
            for count in [0, 1, 2, 3, 5, 16, 17, 63, 64, 100, 1000, 4097] {
                for granularity in [1, 4, 16, 1000] {
                    for chunksPerThread in [1, 3, 8] {
                        let visits = UnsafeMutablePointer<Int>.allocate(capacity: max(count, 1))
                        visits.initialize(repeating: 0, count: max(count, 1))
                        let chunks = Atomic<Int>(0)
                        pool.parallelFor(count, granularity: granularity, chunksPerThread: chunksPerThread) { range in
                            XCTAssertTrue(range.lowerBound % granularity == 0, "chunk start not aligned to granularity")
                            XCTAssertFalse(range.isEmpty)
                            chunks.add(1, ordering: .relaxed)
                            for i in range { visits[i] += 1 }
                        }
                        for i in 0..<count where visits[i] != 1 {
                            XCTFail("threads \(threads) count \(count) granularity \(granularity) chunks/thread \(chunksPerThread): index \(i) visited \(visits[i]) times")
                        }
                        // Inline runs (one thread, or one unit) are a single chunk; otherwise as many as asked,
                        // up to one per unit of `granularity`.
                        let units = (count + granularity - 1) / granularity
                        let expected = count == 0 ? 0 : threads == 1 || units == 1 ? 1 : min(units, threads * chunksPerThread)
                        XCTAssertEqual(chunks.load(ordering: .relaxed), expected,
                                       "threads \(threads) count \(count) granularity \(granularity) chunks/thread \(chunksPerThread)")
                        visits.deallocate()
                    }
                }
            }
        }
    }

    /// What the C-function form's test hands its body.
    private struct VisitContext {
        let visits: UnsafeMutablePointer<Int>
        let granularity: Int
        let misaligned: UnsafeMutablePointer<Int>
    }

    /// The C-function form splits and claims exactly as the closure form, with the context it was given.
    func testFunctionFormVisitsEveryIndexOnceWithItsContext() {
        for threads in [1, 2, 3] {
            let pool = ThreadPool(threadCount: threads)
            for count in [1, 2, 17, 100, 4097] {
                for granularity in [1, 16] {
                    let visits = UnsafeMutablePointer<Int>.allocate(capacity: count + 1)
                    visits.initialize(repeating: 0, count: count + 1)
                    defer { visits.deallocate() }
                    var context = VisitContext(visits: visits, granularity: granularity, misaligned: visits + count)
                    withUnsafePointer(to: &context) { pointer in
                        pool.parallelFor(count, granularity: granularity, context: UnsafeRawPointer(pointer)) { raw, lower, upper in
                            let context = raw.assumingMemoryBound(to: VisitContext.self).pointee
                            if lower % context.granularity != 0 || lower >= upper { context.misaligned.pointee += 1 }
                            for i in lower..<upper { context.visits[i] += 1 }
                        }
                    }
                    XCTAssertEqual(Array(UnsafeBufferPointer(start: visits, count: count)), [Int](repeating: 1, count: count),
                                   "threads \(threads) count \(count) granularity \(granularity)")
                    XCTAssertEqual(visits[count], 0, "a chunk was empty or started off the granularity")
                }
            }
        }
    }

    func testTenThousandDispatchesComplete() {
        let pool = ThreadPool(threadCount: 2)
        let total = Atomic<Int>(0)
        for _ in 0..<10_000 {
            pool.parallelFor(8) { range in total.add(range.count, ordering: .relaxed) }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 80_000)
    }

    func testTenThousandDispatchesOfManyChunksComplete() {
        let pool = ThreadPool(threadCount: 2)
        let total = Atomic<Int>(0)
        for _ in 0..<10_000 {
            pool.parallelFor(64, chunksPerThread: 8) { range in total.add(range.count, ordering: .relaxed) }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 640_000)
    }

    func testDispatchesAfterWorkersFallAsleep() {
        let pool = ThreadPool(threadCount: 3)
        let total = Atomic<Int>(0)
        for _ in 0..<5 {
            usleep(3_000)   // longer than the spin phase: workers are asleep on the condition variable
            pool.parallelFor(9) { range in total.add(range.count, ordering: .relaxed) }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 45)
    }

    func testNestedUseRunsInline() {
        let pool = ThreadPool(threadCount: 2)
        let total = Atomic<Int>(0)
        pool.parallelFor(4) { outer in
            for _ in outer {
                pool.parallelFor(10) { inner in total.add(inner.count, ordering: .relaxed) }
            }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 40)
    }

    func testConcurrentCallersAreSafe() {
        let pool = ThreadPool(threadCount: 2)
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<200 { pool.parallelFor(16) { range in total.add(range.count, ordering: .relaxed) } }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 4 * 200 * 16)
    }

    /// `m` times `tokens` random activations, once with each thread count.
    private func products(_ m: TestMatrix, tokens: Int, seed: UInt64, threads: [Int]) -> [[Float]] {
        let rows = m.matrix.rows, columns = m.matrix.columns
        var random = TestRandom(seed: seed)
        let x = (0..<tokens * columns).map { _ in random.float() }
        let ws = MatMulWorkspace(maxTokens: tokens, maxColumns: columns)
        return threads.map { threads in
            var y = [Float](repeating: 0, count: tokens * rows)
            MatMul.multiply(m.matrix, input: x, xStride: columns, tokens: tokens, output: &y, yStride: rows, workspace: ws,
                            pool: ThreadPool(threadCount: threads))
            return y
        }
    }

    func testSameResultForOneAndTwoThreads() throws {
        let results = products(try TestMatrix(.q4_1, rows: 300, columns: 1024, seed: 8), tokens: 3, seed: 9, threads: [1, 2])
        XCTAssertEqual(results[0], results[1])
    }

    /// A matrix large enough to be split into several chunks per thread gives the bits of one thread.
    func testManyChunksPerThreadGiveTheSameResult() throws {
        let m = try TestMatrix(.q8_0, rows: 8192, columns: 512, seed: 10)
        XCTAssertGreaterThan(MatMul.chunksPerThread(m.matrix.rows * m.matrix.rowBytes, ThreadPool(threadCount: 2)), 1)
        let results = products(m, tokens: 2, seed: 11, threads: [1, 2, 3])
        XCTAssertEqual(results[0], results[1])
        XCTAssertEqual(results[0], results[2])
    }

    func testPoolIsReleased() {
        weak var weakPool: ThreadPool?
        do {
            let pool = ThreadPool(threadCount: 3)
            pool.parallelFor(10) { _ in }
            weakPool = pool
        }
        XCTAssertNil(weakPool)
    }
}
