/// A view of quantized (or converted) activations for several tokens.
@usableFromInline
struct ActivationBuffer {
    let base: UnsafeRawPointer
    let layout: ActivationLayout

    @inline(__always) func token(_ t: Int) -> ActivationToken {
        let p = base + t * layout.tokenStride
        return ActivationToken(
            values: p, scales: (p + layout.scaleOffset).assumingMemoryBound(to: Float.self),
            sums: p + layout.sumOffset)
    }
}

/// One token's activations: `values` are quantized values (Int16 or Int8), f16/bf16 bits or Float depending on
/// the format.
@usableFromInline
struct ActivationToken {
    let values: UnsafeRawPointer
    let scales: UnsafePointer<Float>
    let sums: UnsafeRawPointer

    @inline(__always) var floatSums: UnsafePointer<Float> { sums.assumingMemoryBound(to: Float.self) }
    @inline(__always) var blockSums: UnsafePointer<Int16> { sums.assumingMemoryBound(to: Int16.self) }
}
