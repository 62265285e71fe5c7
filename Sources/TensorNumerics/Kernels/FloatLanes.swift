/// Loads of float-like weights and activations (F32, F16, BF16, FP8 E4M3) as SIMD16<Float>.
///
/// The narrow types are widened with spelled-out lane conversions, which LLVM folds into single `vcvtph2ps` /
/// `vpmovzxwd` instructions (the generic SIMD initializers compile to per-lane loops).
@usableFromInline
enum FloatLanes {
    @inline(__always) static func widen(_ h: SIMD16<Float16>) -> SIMD16<Float> {
        SIMD16<Float>(Float(h[0]), Float(h[1]), Float(h[2]), Float(h[3]), Float(h[4]), Float(h[5]), Float(h[6]), Float(h[7]),
                      Float(h[8]), Float(h[9]), Float(h[10]), Float(h[11]), Float(h[12]), Float(h[13]), Float(h[14]), Float(h[15]))
    }
    @inline(__always) static func widen(_ v: SIMD16<UInt16>) -> SIMD16<UInt32> {
        SIMD16<UInt32>(UInt32(v[0]), UInt32(v[1]), UInt32(v[2]), UInt32(v[3]), UInt32(v[4]), UInt32(v[5]), UInt32(v[6]), UInt32(v[7]),
                       UInt32(v[8]), UInt32(v[9]), UInt32(v[10]), UInt32(v[11]), UInt32(v[12]), UInt32(v[13]), UInt32(v[14]), UInt32(v[15]))
    }
    @inline(__always) static func widen(_ v: SIMD16<UInt8>) -> SIMD16<UInt16> {
        SIMD16<UInt16>(UInt16(v[0]), UInt16(v[1]), UInt16(v[2]), UInt16(v[3]), UInt16(v[4]), UInt16(v[5]), UInt16(v[6]), UInt16(v[7]),
                       UInt16(v[8]), UInt16(v[9]), UInt16(v[10]), UInt16(v[11]), UInt16(v[12]), UInt16(v[13]), UInt16(v[14]), UInt16(v[15]))
    }

    @inline(__always) static func loadF16(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        ScalarConversion.f16(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
    @inline(__always) static func f16x16(_ p: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> {
        widen(p.loadUnaligned(fromByteOffset: 2 * i, as: SIMD16<Float16>.self))
    }
    @inline(__always) static func bf16x16(_ p: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> {
        unsafeBitCast(widen(p.loadUnaligned(fromByteOffset: 2 * i, as: SIMD16<UInt16>.self)) &<< 16, to: SIMD16<Float>.self)
    }
    @inline(__always) static func f32x16(_ p: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> {
        p.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
    }
    /// Sixteen E4M3 bytes as floats 2^8 times too small (see `ScalarConversion.e4m3`); NaN codes give NaN.
    @inline(__always) static func e4m3x16(_ p: UnsafeRawPointer, _ i: Int) -> SIMD16<Float> {
        let b = widen(p.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self))
        let magnitude = b & SIMD16(repeating: 0x7f)
        // 0x7f + 1 carries into bit 7 exactly for the NaN codes; OR-ing 0x7e00 then makes the half a NaN.
        let nan = ((magnitude &+ SIMD16(repeating: 1)) &>> SIMD16(repeating: 7)) &* SIMD16(repeating: 0x7e00)
        let h = (magnitude &<< SIMD16(repeating: 7)) | ((b & SIMD16(repeating: 0x80)) &<< SIMD16(repeating: 8)) | nan
        return widen(unsafeBitCast(h, to: SIMD16<Float16>.self))
    }
}
