import XCTest
@testable import TensorNumerics

/// `MatMul.multiply` against float references, for every format, token count and thread count.
final class MatMulTests: XCTestCase {
    static let formats: [TensorFormat] = [.f32, .f16, .bf16, .f8e4m3, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K]
    static let pools = [ThreadPool(threadCount: 1), ThreadPool(threadCount: 2), ThreadPool(threadCount: 3)]

    struct Case {
        let m: TestMatrix
        let weights: [[Float]]   // dequantized rows
        let x: [Float]           // tokens × xStride
        let xStride: Int
        let tokens: Int
    }

    func makeCase(_ format: TensorFormat, rows: Int, columns: Int, tokens: Int, seed: UInt64) throws -> Case {
        let m = try TestMatrix(format, rows: rows, columns: columns, seed: seed)
        var weights: [[Float]] = []
        for r in 0..<rows {
            var row = [Float](repeating: 0, count: columns)
            m.matrix.dequantizeRow(r, into: &row)
            weights.append(row)
        }
        let xStride = columns + 3
        var random = TestRandom(seed: seed &+ 1000)
        let x = (0..<tokens * xStride).map { _ in random.float() }
        return Case(m: m, weights: weights, x: x, xStride: xStride, tokens: tokens)
    }

    func run(_ c: Case, pool: ThreadPool, yStride: Int) -> [Float] {
        var y = [Float](repeating: .nan, count: c.tokens * yStride)
        let ws = MatMulWorkspace(maxTokens: c.tokens, maxColumns: c.m.matrix.columns)
        MatMul.multiply(c.m.matrix, input: c.x, xStride: c.xStride, tokens: c.tokens, output: &y, yStride: yStride,
                        workspace: ws, pool: pool)
        return y
    }

    /// Exact products of dequantized weights with the activations after the same activation quantization
    /// (computed in Double), and the sum of |terms| that bounds Float rounding: every kernel adds at most
    /// columns/16 + a few Float terms in any one chain, so the error is below (n + 8)·2^-24 · Σ|w·x| with
    /// n ≤ 512 here; 1e-4 · Σ|w·x| covers it with margin.
    func check(_ format: TensorFormat, rows: Int, columns: Int, tokens: Int, seed: UInt64) throws {
        let c = try makeCase(format, rows: rows, columns: columns, tokens: tokens, seed: seed)
        let yStride = rows + 5
        var first: [Float]?
        for pool in Self.pools {
            let y = run(c, pool: pool, yStride: yStride)
            if let first {
                XCTAssertEqual(y.map(\.bitPattern), first.map(\.bitPattern), "\(format): results differ between thread counts")
                continue
            }
            first = y
            for t in 0..<tokens {
                let x = Array(c.x[t * c.xStride..<t * c.xStride + columns])
                let xq = ReferenceActivations.dequantized(x, for: format)
                let xErr = ReferenceActivations.errorBound(x, for: format)
                for r in 0..<rows {
                    var exact = 0.0, magnitude = 0.0, plain = 0.0, quantizationBound = 0.0
                    for k in 0..<columns {
                        let w = Double(c.weights[r][k])
                        exact += w * Double(xq[k]); magnitude += abs(w * Double(xq[k]))
                        plain += w * Double(x[k]); quantizationBound += abs(w) * Double(xErr[k])
                    }
                    let got = Double(y[t * yStride + r])
                    XCTAssertEqual(got, exact, accuracy: 1e-4 * magnitude + 1e-12, "\(format) t\(t) r\(r) vs quantized-activation reference")
                    XCTAssertEqual(got, plain, accuracy: quantizationBound + 1e-4 * magnitude + 1e-12, "\(format) t\(t) r\(r) vs f32 activations")
                }
            }
            // Outputs outside the written strided area are untouched.
            for t in 0..<tokens { for r in rows..<yStride { XCTAssertTrue(y[t * yStride + r].isNaN) } }
        }
    }

    func testEveryFormatMatvec() throws {
        for format in Self.formats {
            try check(format, rows: 37, columns: 512, tokens: 1, seed: 3)
        }
    }

    func testEveryFormatSeveralTokens() throws {
        for format in Self.formats {
            try check(format, rows: 50, columns: 768, tokens: 7, seed: 5)
        }
    }

    /// Rows longer than `ActivationFormat.wideColumnLimit` use Int8 activation storage: same results.
    func testLongRows() throws {
        for format in [TensorFormat.q8_0, .q4_1, .q5_0, .q3_K, .q4_K, .q6_K] {
            try check(format, rows: 6, columns: ActivationFormat.wideColumnLimit + 512, tokens: 5, seed: 13)
        }
    }

    /// A token's result does not depend on how many tokens share the call (1 vs groups of 4).
    func testBatchMatchesSingleTokens() throws {
        for format in Self.formats {
            let c = try makeCase(format, rows: 19, columns: 512, tokens: 6, seed: 17)
            let batch = run(c, pool: Self.pools[1], yStride: 19)
            let ws = MatMulWorkspace(maxTokens: 1, maxColumns: 512)
            for t in 0..<6 {
                var y = [Float](repeating: 0, count: 19)
                let x = Array(c.x[t * c.xStride..<(t + 1) * c.xStride])
                MatMul.multiply(c.m.matrix, input: x, xStride: c.xStride, tokens: 1, output: &y, yStride: 19, workspace: ws, pool: Self.pools[0])
                XCTAssertEqual(y.map(\.bitPattern), Array(batch[t * 19..<(t + 1) * 19]).map(\.bitPattern), "\(format) token \(t)")
            }
        }
    }

    func testOddFloatWidths() throws {
        for format in [TensorFormat.f32, .f16, .bf16, .f8e4m3] {
            try check(format, rows: 5, columns: 77, tokens: 2, seed: 11)
        }
    }

    func testFP8NaNCodesPropagate() throws {
        var bytes = [UInt8](repeating: 0x38, count: 64)   // 1.0
        bytes[40] = 0x7f
        try bytes.withUnsafeBytes { raw in
            let m = try WeightMatrix(format: .f8e4m3, rows: 2, columns: 32, base: raw.baseAddress!)
            let x = [Float](repeating: 1, count: 32)
            var y: [Float] = [0, 0]
            MatMul.multiply(m, input: x, xStride: 32, tokens: 1, output: &y, yStride: 2,
                            workspace: MatMulWorkspace(maxTokens: 1, maxColumns: 32), pool: Self.pools[0])
            XCTAssertEqual(y[0], 32)
            XCTAssertTrue(y[1].isNaN)
        }
    }

    /// The fused two- and three-matrix call equals separate calls, including mixed activation formats.
    func testMultiMatrixEqualsSingleCalls() throws {
        let combos: [(TensorFormat, TensorFormat, TensorFormat?)] = [
            (.q8_0, .q8_0, .q8_0), (.q4_1, .q8_0, .f32), (.q4_K, .q6_K, .q5_0), (.q4_1, .q4_1, nil), (.f16, .bf16, .q5_1),
        ]
        let columns = 512, tokens = 5
        for pool in Self.pools {
            for (f0, f1, f2) in combos {
                let m0 = try TestMatrix(f0, rows: 40, columns: columns, seed: 1)
                let m1 = try TestMatrix(f1, rows: 24, columns: columns, seed: 2)
                let m2 = try f2.map { try TestMatrix($0, rows: 17, columns: columns, seed: 3) }
                var random = TestRandom(seed: 4)
                let x = (0..<tokens * columns).map { _ in random.float() }
                let ws = MatMulWorkspace(maxTokens: tokens, maxColumns: columns)
                func single(_ m: TestMatrix) -> [Float] {
                    var y = [Float](repeating: 0, count: tokens * m.matrix.rows)
                    MatMul.multiply(m.matrix, input: x, xStride: columns, tokens: tokens, output: &y, yStride: m.matrix.rows, workspace: ws, pool: pool)
                    return y
                }
                var y0 = [Float](repeating: 0, count: tokens * 40), y1 = [Float](repeating: 0, count: tokens * 24)
                var y2 = [Float](repeating: 0, count: tokens * 17)
                y0.withUnsafeMutableBufferPointer { p0 in
                    y1.withUnsafeMutableBufferPointer { p1 in
                        y2.withUnsafeMutableBufferPointer { p2 in
                            MatMul.multiply(m0.matrix, p0.baseAddress!, m1.matrix, p1.baseAddress!, m2?.matrix, m2 == nil ? nil : p2.baseAddress!,
                                            input: x, xStride: columns, tokens: tokens, yStrides: (40, 24, 17), workspace: ws, pool: pool)
                        }
                    }
                }
                XCTAssertEqual(y0, single(m0), "\(f0)")
                XCTAssertEqual(y1, single(m1), "\(f1)")
                if let m2 { XCTAssertEqual(y2, single(m2), "\(f2!)") }
            }
        }
    }

    func testActivationFormatPairing() {
        XCTAssertEqual(ActivationFormat(weights: .q4_0), .q8_0)
        XCTAssertEqual(ActivationFormat(weights: .q5_0), .q8_0)
        XCTAssertEqual(ActivationFormat(weights: .q8_0), .q8_0)
        XCTAssertEqual(ActivationFormat(weights: .q4_1), .q8_1)
        XCTAssertEqual(ActivationFormat(weights: .q5_1), .q8_1)
        XCTAssertEqual(ActivationFormat(weights: .q6_K), .q8_K)
        XCTAssertEqual(ActivationFormat(weights: .f16), .f16)
        XCTAssertEqual(ActivationFormat(weights: .bf16), .bf16)
        XCTAssertNil(ActivationFormat(weights: .i32))
    }
}
