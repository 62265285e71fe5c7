/// Why a tensor cannot be used by the numerics kernels.
///
/// Each case names the format and shape involved so that the message says what to fix
/// (re-export the model in another format, or fix a corrupt tensor header).
public enum NumericsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The format has no kernels here (e.g. Q8_K, which is an activation-only format, or the integer formats).
    case unsupportedFormat(TensorFormat, operation: String)
    /// A row of `columns` values is not a whole number of the format's blocks.
    case partialBlock(TensorFormat, columns: Int)
    /// Negative sizes, or a matrix too large to address.
    case invalidShape(rows: Int, columns: Int)

    /// A sentence saying what went wrong and what to do about it.
    public var description: String {
        switch self {
        case .unsupportedFormat(let format, let operation):
            return "tensor format \(format) is not supported for \(operation); "
                + "supported: F32, F16, BF16, F8_E4M3, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K "
                + "— re-quantize the model to one of these"
        case .partialBlock(let format, let columns):
            return "a row of \(columns) values is not a whole number of \(format) blocks of \(format.blockElements) "
                + "values; the tensor header is inconsistent with its format"
        case .invalidShape(let rows, let columns):
            return "invalid matrix shape \(rows) × \(columns): sizes must be non-negative and the tensor addressable"
        }
    }
}
