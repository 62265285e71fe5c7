/// How quantized activation values are stored: Int16 (`WideValues`) or Int8 (`NarrowValues`).
protocol ActivationValues {
    /// Sixteen values from value `index` of `x`, as Int16.
    static func load16(_ x: UnsafeRawPointer, _ index: Int) -> SIMD16<Int16>
}

enum WideValues: ActivationValues {
    @inline(__always) static func load16(_ x: UnsafeRawPointer, _ index: Int) -> SIMD16<Int16> {
        x.loadUnaligned(fromByteOffset: 2 * index, as: SIMD16<Int16>.self)
    }
}

enum NarrowValues: ActivationValues {
    @inline(__always) static func load16(_ x: UnsafeRawPointer, _ index: Int) -> SIMD16<Int16> {
        Lanes.i16(x.loadUnaligned(fromByteOffset: index, as: SIMD16<Int8>.self))
    }
}
