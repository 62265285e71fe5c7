import TensorNumerics

/// Where a tensor of a safetensors file lies and how it is stored.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    /// The tensor's name, e.g. `model.layers.0.self_attn.q_proj.weight`.
    public let name: String
    /// The shape, outermost dimension first (row-major, as PyTorch writes it).
    public let shape: [Int]
    /// The storage format.
    public let format: TensorFormat
    /// The safetensors dtype name, e.g. `BF16`.
    public let dtype: String
    /// The offset of the first byte, from the start of the file.
    public let fileOffset: Int
    /// The number of bytes.
    public let byteCount: Int

    /// The number of elements.
    public var elementCount: Int { shape.reduce(1, *) }
    /// The length of a row (the innermost dimension).
    public var columns: Int { shape.last ?? 1 }
    /// The number of rows: the product of every dimension but the innermost.
    public var rows: Int { shape.dropLast().reduce(1, *) }
}
