extension VectorOps {
    /// `y += scale · x` (an axpy): attention's weighted sum of value rows.
    @inlinable
    public static func addScaled(_ x: UnsafePointer<Float>, scale: Float, to y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let s = SIMD16<Float>(repeating: scale)
        while i + 16 <= count {
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv.addingProduct(xv, s), as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            y[i] += scale * x[i]
            i += 1
        }
    }
}
