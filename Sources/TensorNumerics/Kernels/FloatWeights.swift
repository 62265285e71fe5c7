/// A float-like weight format and the activation form it is multiplied with (see `ActivationFormat`).
protocol FloatWeights {
    /// Weights `i..<i+16` of the row at `w`, as floats.
    static func weights16(_ w: UnsafeRawPointer, _ i: Int) -> SIMD16<Float>
    /// Weight `i` of the row at `w`.
    static func weight(_ w: UnsafeRawPointer, _ i: Int) -> Float
    /// Activations `i..<i+16` of a token at `x`.
    static func activations16(_ x: UnsafeRawPointer, _ i: Int) -> SIMD16<Float>
    /// Activation `i` of a token at `x`.
    static func activation(_ x: UnsafeRawPointer, _ i: Int) -> Float
}

/// F32 weights × F32 activations.
enum F32Weights: FloatWeights {
    @inline(__always) static func weights16(_ w: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> { FloatLanes.f32x16(w, i) }
    @inline(__always) static func weight(_ w: UnsafeRawPointer, _ i: Int) -> Float { w.load(fromByteOffset: 4 * i, as: Float.self) }
    @inline(__always) static func activations16(_ x: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> { FloatLanes.f32x16(x, i) }
    @inline(__always) static func activation(_ x: UnsafeRawPointer, _ i: Int) -> Float { x.load(fromByteOffset: 4 * i, as: Float.self) }
}

/// F16 weights × F16 activations, products and sums in Float as ggml's `ggml_vec_dot_f16` with F16C.
enum F16Weights: FloatWeights {
    @inline(__always) static func weights16(_ w: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> { FloatLanes.f16x16(w, i) }
    @inline(__always) static func weight(_ w: UnsafeRawPointer, _ i: Int) -> Float { FloatLanes.loadF16(w, 2 * i) }
    @inline(__always) static func activations16(_ x: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> { FloatLanes.f16x16(x, i) }
    @inline(__always) static func activation(_ x: UnsafeRawPointer, _ i: Int) -> Float { FloatLanes.loadF16(x, 2 * i) }
}

/// BF16 weights × BF16 activations, products and sums in Float.
enum BF16Weights: FloatWeights {
    @inline(__always) static func weights16(_ w: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> { FloatLanes.bf16x16(w, i) }
    @inline(__always) static func weight(_ w: UnsafeRawPointer, _ i: Int) -> Float {
        ScalarConversion.bf16(w.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
    }
    @inline(__always) static func activations16(_ x: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> { FloatLanes.bf16x16(x, i) }
    @inline(__always) static func activation(_ x: UnsafeRawPointer, _ i: Int) -> Float {
        ScalarConversion.bf16(x.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
    }
}

/// FP8 E4M3 weights (unscaled: the per-tensor scale is the caller's) × F32 activations.
enum E4M3Weights: FloatWeights {
    @inline(__always) static func weights16(_ w: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> {
        FloatLanes.e4m3x16(w, i) * SIMD16(repeating: 256)
    }
    @inline(__always) static func weight(_ w: UnsafeRawPointer, _ i: Int) -> Float {
        ScalarConversion.e4m3(w.load(fromByteOffset: i, as: UInt8.self))
    }
    @inline(__always) static func activations16(_ x: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> { FloatLanes.f32x16(x, i) }
    @inline(__always) static func activation(_ x: UnsafeRawPointer, _ i: Int) -> Float { x.load(fromByteOffset: 4 * i, as: Float.self) }
}
