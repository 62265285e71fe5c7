/// The storage format of a tensor's elements: plain floats, or blocks of quantized values.
///
/// The quantized layouts are ggml's, so GGUF files are used in place without conversion. Each format
/// stores `blockElements` values in `blockBytes` bytes; a row of a matrix is a whole number of blocks.
public enum TensorFormat: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case f32, f16, bf16, f64
    /// FP8 E4M3 (safetensors `F8_E4M3`), one byte per value; scales live in a separate tensor.
    case f8e4m3
    case q4_0, q4_1, q5_0, q5_1, q8_0, q8_1
    case q2_K, q3_K, q4_K, q5_K, q6_K, q8_K
    case i8, i16, i32, i64

    /// The format for a ggml type id as stored in GGUF tensor infos, or nil for ids we cannot compute with.
    public init?(ggmlType id: UInt32) {
        guard let format = TensorFormat.allCases.first(where: { $0.ggmlType == id }) else { return nil }
        self = format
    }

    /// ggml's type id, or nil for formats ggml does not have.
    public var ggmlType: UInt32? {
        switch self {
        case .f32: 0
        case .f16: 1
        case .q4_0: 2
        case .q4_1: 3
        case .q5_0: 6
        case .q5_1: 7
        case .q8_0: 8
        case .q8_1: 9
        case .q2_K: 10
        case .q3_K: 11
        case .q4_K: 12
        case .q5_K: 13
        case .q6_K: 14
        case .q8_K: 15
        case .i8: 24
        case .i16: 25
        case .i32: 26
        case .i64: 27
        case .f64: 28
        case .bf16: 30
        case .f8e4m3: nil
        }
    }

    /// Values per block.
    public var blockElements: Int {
        switch self {
        case .f32, .f16, .bf16, .f64, .f8e4m3, .i8, .i16, .i32, .i64: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q8_1: 32
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K: 256
        }
    }

    /// Bytes per block.
    public var blockBytes: Int {
        switch self {
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .f64, .i64: 8
        case .f8e4m3, .i8: 1
        case .q4_0: 18
        case .q4_1: 20
        case .q5_0: 22
        case .q5_1: 24
        case .q8_0: 34
        case .q8_1: 36
        case .q2_K: 84
        case .q3_K: 110
        case .q4_K: 144
        case .q5_K: 176
        case .q6_K: 210
        case .q8_K: 292
        }
    }

    /// Bytes of a row of `elements` values, or nil when the row is not a whole number of blocks.
    public func rowBytes(_ elements: Int) -> Int? {
        guard elements >= 0, elements % blockElements == 0 else { return nil }
        let (bytes, overflow) = (elements / blockElements).multipliedReportingOverflow(by: blockBytes)
        return overflow ? nil : bytes
    }

    /// The name llama.cpp and safetensors users know the format by.
    public var description: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .bf16: "BF16"
        case .f64: "F64"
        case .f8e4m3: "F8_E4M3"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q5_0: "Q5_0"
        case .q5_1: "Q5_1"
        case .q8_0: "Q8_0"
        case .q8_1: "Q8_1"
        case .q2_K: "Q2_K"
        case .q3_K: "Q3_K"
        case .q4_K: "Q4_K"
        case .q5_K: "Q5_K"
        case .q6_K: "Q6_K"
        case .q8_K: "Q8_K"
        case .i8: "I8"
        case .i16: "I16"
        case .i32: "I32"
        case .i64: "I64"
        }
    }
}
