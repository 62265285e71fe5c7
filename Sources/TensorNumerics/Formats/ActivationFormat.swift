/// The form activations take before a dot product with a weight format: ggml's `vec_dot_type`.
///
/// Quantizing activations the same way llama.cpp does keeps our logits within rounding of its.
@usableFromInline
enum ActivationFormat: Int, CaseIterable, Sendable {
    /// Plain floats (F32 and FP8 weights): the caller's input is used in place.
    case f32
    /// Activations rounded to half precision (F16 weights).
    case f16
    /// Activations rounded to bfloat16 (BF16 weights).
    case bf16
    /// Blocks of 32 int8 with one scale (Q4_0, Q5_0, Q8_0 weights).
    case q8_0
    /// Blocks of 32 int8 with a scale and the scaled sum (Q4_1, Q5_1 weights).
    case q8_1
    /// Blocks of 256 int8 with a float scale and sums per 16 (the K-quants).
    case q8_K

    /// The activation format ggml pairs with a weight format, or nil when there are no kernels for it.
    init?(weights format: TensorFormat) {
        switch format {
        case .f32, .f8e4m3: self = .f32
        case .f16: self = .f16
        case .bf16: self = .bf16
        case .q4_0, .q5_0, .q8_0: self = .q8_0
        case .q4_1, .q5_1: self = .q8_1
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: self = .q8_K
        default: return nil
        }
    }

    /// The longest rows whose quantized activations are stored as Int16.
    static let wideColumnLimit = 4096

    /// Values per scale block.
    var blockElements: Int { self == .q8_K ? 256 : (self == .q8_0 || self == .q8_1 ? 32 : 1) }

    /// Byte layout of one token's activations of `columns` values.
    ///
    /// Unlike ggml's interleaved blocks, quantized values are stored contiguously and their scales apart, as
    /// Floats (already rounded to f16 where ggml stores f16, so the numbers are the same): the loads stay
    /// aligned and the scales need no conversion.
    ///
    /// Rows of up to `wideColumnLimit` columns keep their values as Int16, which saves the kernels a widening
    /// per block (measured 16–17 vs 14 GB/s for Q8_0 in L2); longer rows keep Int8 so that one token's
    /// activations stay in L1 while weights stream past (with Int16, 14336 columns take 28 KiB and a Q8_0
    /// matvec from DRAM fell from 12 to 9 GB/s).
    ///
    /// `narrow` keeps Int8 values at any width: the C kernels (`NativeRows`) multiply bytes directly.
    func layout(columns: Int, narrow: Bool = false) -> ActivationLayout {
        func align(_ n: Int) -> Int { (n + 63) & ~63 }
        let wide = columns <= Self.wideColumnLimit && !narrow
        let valueBytes = wide ? 2 : 1
        switch self {
        case .f32: return ActivationLayout(tokenStride: align(4 * columns), scaleOffset: 0, sumOffset: 0)
        case .f16, .bf16: return ActivationLayout(tokenStride: align(2 * columns), scaleOffset: 0, sumOffset: 0)
        case .q8_0, .q8_1:
            let blocks = columns / 32
            let scales = align(valueBytes * columns), sums = scales + align(4 * blocks)
            return ActivationLayout(tokenStride: sums + align(4 * blocks), scaleOffset: scales, sumOffset: sums, wideValues: wide)
        case .q8_K:
            let blocks = columns / 256
            let scales = align(valueBytes * columns), sums = scales + align(4 * blocks)
            return ActivationLayout(tokenStride: sums + align(32 * blocks), scaleOffset: scales, sumOffset: sums, wideValues: wide)
        }
    }
}
