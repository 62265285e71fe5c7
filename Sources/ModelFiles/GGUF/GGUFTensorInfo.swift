import TensorNumerics

/// Where a tensor of a GGUF file lies and how it is stored.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name, e.g. `blk.0.attn_q.weight`.
    public let name: String
    /// ggml's dimensions: `shape[0]` is the innermost (the length of a row).
    public let shape: [Int]
    /// The storage format.
    public let format: TensorFormat
    /// The offset of the first byte, from the start of the file.
    public let fileOffset: Int
    /// The number of bytes.
    public let byteCount: Int

    /// The number of elements.
    public var elementCount: Int { shape.reduce(1, *) }
    /// The length of a row (the innermost dimension).
    public var columns: Int { shape.first ?? 1 }
    /// The number of rows: the product of every dimension but the innermost.
    public var rows: Int { shape.dropFirst().reduce(1, *) }
}
