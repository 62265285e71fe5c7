import Foundation
@testable import LLM
import ModelFiles
import XCTest

/// The token-by-token share's arithmetic, and its measurement's plumbing on a tiny model (not its speed).
final class DecodeBandwidthTests: XCTestCase {
    /// Each token is judged against the faster of its own two probe passes, and every figure is a median over tokens.
    func testEachTokenIsJudgedAgainstTheFasterPassAroundIt() {
        // 100 bytes a token in 1, 2, 4 and 5 s: 100, 50, 25 and 20 B/s.
        let measured = DecodeBandwidth(bytesPerToken: 100, tokenSeconds: [1, 2, 4, 5], probeRates: [200, 100, 50, 100, 25])
        XCTAssertEqual(measured.tokens, 4)
        // Ceilings 200, 100, 100, 100: shares 0.5, 0.5, 0.25, 0.2.
        XCTAssertEqual(measured.probeBytesPerSecond, 100)
        XCTAssertEqual(measured.share, (0.25 + 0.5) / 2)
        XCTAssertEqual(measured.decodeBytesPerSecond, (25 + 50) / 2)
        XCTAssertEqual(measured.bestProbeBytesPerSecond, 200)
        // A share of medians would be 37.5 / 100; the median of shares keeps each token with its own ceiling.
        let odd = DecodeBandwidth(bytesPerToken: 10, tokenSeconds: [1, 1, 1], probeRates: [10, 40, 20, 10])
        XCTAssertEqual(odd.share, 0.25)
        XCTAssertEqual(odd.probeBytesPerSecond, 40)
    }

    /// A session's passes each read the whole buffer once, however many are run.
    func testASessionReadsItsWholeBufferEveryPass() {
        let session = ReadBandwidthSession(probe: ReadBandwidthProbe(bytes: (1 << 20) + 64, threads: 2))
        for _ in 0..<3 {
            let pass = session.pass()
            XCTAssertEqual(pass.valuesRead, Double(((1 << 20) + 64) / 4))
            XCTAssertTrue(pass.bytesPerSecond.isFinite && pass.bytesPerSecond > 0)
        }
    }

    /// The engine's measurement decodes the asked number of tokens and gives finite positive figures.
    func testTheEngineMeasuresEveryToken() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID().uuidString).gguf")
        try TinyLlama(seed: 5).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let model = try LlamaModel(gguf: GGUFFile(path: url.path), threads: 2, maxBatchTokens: 16)
        let measured = try EngineBenchmark(model: model).decodeBandwidth(
            steps: 5, probe: ReadBandwidthProbe(bytes: 1 << 20, threads: 2))
        XCTAssertEqual(measured.tokens, 5)
        XCTAssertEqual(measured.bytesPerToken, model.weights.bytesPerToken)
        for figure in [measured.decodeBytesPerSecond, measured.probeBytesPerSecond, measured.share] {
            XCTAssertTrue(figure.isFinite && figure > 0, "\(measured)")
        }
        XCTAssertGreaterThanOrEqual(measured.bestProbeBytesPerSecond, measured.probeBytesPerSecond)
    }
}
