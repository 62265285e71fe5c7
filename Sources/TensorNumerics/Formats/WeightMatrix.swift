/// A row-major matrix stored in a `TensorFormat`, viewing memory it does not own (e.g. a memory-mapped GGUF
/// tensor). Row `r` starts at `base + r * rowBytes`.
///
/// The memory must stay valid and unchanged for as long as the matrix is used; the matrix never writes to it.
public struct WeightMatrix: @unchecked Sendable {
    /// How the elements are stored.
    public let format: TensorFormat
    /// Number of rows (output features of a linear layer).
    public let rows: Int
    /// Number of values per row (input features), a whole number of the format's blocks.
    public let columns: Int
    /// The first byte of row 0.
    public let base: UnsafeRawPointer
    /// Bytes from one row to the next: `format.rowBytes(columns)`.
    public let rowBytes: Int

    /// Formats that `MatMul.multiply` computes with: every format a `WeightMatrix` accepts.
    public static let multiplyFormats: Set<TensorFormat> = [
        .f32, .f16, .bf16, .f8e4m3, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K,
    ]

    /// A view of `rows × columns` values of `format` at `base`.
    ///
    /// - Throws: `NumericsError.unsupportedFormat` when the format has no dequantizer here (Q8_1/Q8_K are
    ///   activation formats, I8…I64 are not weights), `.partialBlock` when `columns` is not a whole number of
    ///   blocks, `.invalidShape` for negative or unaddressable sizes.
    public init(format: TensorFormat, rows: Int, columns: Int, base: UnsafeRawPointer) throws {
        guard BlockDecoder.supports(format) else { throw NumericsError.unsupportedFormat(format, operation: "weights") }
        guard rows >= 0, columns >= 0 else { throw NumericsError.invalidShape(rows: rows, columns: columns) }
        guard let rowBytes = format.rowBytes(columns) else { throw NumericsError.partialBlock(format, columns: columns) }
        guard !rows.multipliedReportingOverflow(by: rowBytes).overflow else {
            throw NumericsError.invalidShape(rows: rows, columns: columns)
        }
        self.format = format
        self.rows = rows
        self.columns = columns
        self.base = base
        self.rowBytes = rowBytes
    }

    /// Whether `MatMul.multiply` accepts this matrix (see `multiplyFormats`).
    public var supportsMultiply: Bool { Self.multiplyFormats.contains(format) }

    /// Writes row `row` as `columns` floats to `out`, exactly as ggml's `dequantize_row_*` would.
    ///
    /// FP8 values are returned unscaled: multiply by the tensor's separate scale yourself.
    public func dequantizeRow(_ row: Int, into out: UnsafeMutablePointer<Float>) {
        precondition(row >= 0 && row < rows, "row \(row) out of range 0..<\(rows)")
        BlockDecoder.decode(format, base + row * rowBytes, blocks: columns / format.blockElements, into: out)
    }
}
