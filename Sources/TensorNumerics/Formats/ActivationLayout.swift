/// Where one token's quantized activations and their scales lie, relative to the token's start.
///
/// q8_0 / q8_1: `columns` values (int8 range; stored as Int16 when `wideValues`, else Int8), then a Float scale
/// per 32 (`d`), then a Float per 32 (`d × Σq` rounded to f16 for q8_1 as ggml's `s`; the integer `Σq` for q8_0).
/// q8_K: `columns` values (Int16 or Int8), a Float `d` per 256, then sixteen Int16 sums per 256 (ggml's `bsums`).
@usableFromInline
struct ActivationLayout: Sendable {
    var tokenStride: Int
    var scaleOffset: Int
    var sumOffset: Int
    /// Quantized values stored as Int16 rather than Int8 (see `ActivationFormat.layout`).
    var wideValues: Bool = false
}
