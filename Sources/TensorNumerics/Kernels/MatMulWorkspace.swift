/// Reusable buffers for quantized activations, sized once so that no call allocates per token.
///
/// Each activation format (see `MatMul`) gets its own buffer of `maxTokens × maxColumns` values, allocated
/// on first use of a weight format needing it (then kept). A workspace serves one `multiply` at a time: give
/// each thread that calls `MatMul` its own.
public final class MatMulWorkspace {
    /// The most tokens one `multiply` may be given.
    public let maxTokens: Int
    /// The most columns (input features) a matrix passed with this workspace may have.
    public let maxColumns: Int

    private var buffers: [UnsafeMutableRawPointer?]

    /// A workspace for calls of up to `maxTokens` tokens on matrices of up to `maxColumns` columns.
    public init(maxTokens: Int, maxColumns: Int) {
        precondition(maxTokens >= 1 && maxColumns >= 1, "workspace sizes must be positive")
        self.maxTokens = maxTokens
        self.maxColumns = maxColumns
        buffers = Array(repeating: nil, count: ActivationFormat.allCases.count)
    }

    deinit {
        for buffer in buffers { buffer?.deallocate() }
    }

    /// The buffer for `format`, room for `maxTokens` tokens of `maxColumns` (rounded up to whole blocks).
    func buffer(for format: ActivationFormat) -> UnsafeMutableRawPointer {
        if let buffer = buffers[format.rawValue] { return buffer }
        let columns = (maxColumns + 255) / 256 * 256
        let bytes = maxTokens * format.layout(columns: columns).tokenStride
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        buffers[format.rawValue] = buffer
        return buffer
    }
}
