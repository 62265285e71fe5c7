/// Lane conversions spelled out lane by lane, which LLVM folds into single widening instructions.

enum Lanes {
    @inline(__always) static func i16(_ v: SIMD16<Int8>) -> SIMD16<Int16> {
        SIMD16<Int16>(Int16(v[0]), Int16(v[1]), Int16(v[2]), Int16(v[3]), Int16(v[4]), Int16(v[5]), Int16(v[6]), Int16(v[7]), Int16(v[8]), Int16(v[9]), Int16(v[10]), Int16(v[11]), Int16(v[12]), Int16(v[13]), Int16(v[14]), Int16(v[15]))
    }
    @inline(__always) static func i16(_ v: SIMD16<UInt8>) -> SIMD16<Int16> {
        SIMD16<Int16>(Int16(v[0]), Int16(v[1]), Int16(v[2]), Int16(v[3]), Int16(v[4]), Int16(v[5]), Int16(v[6]), Int16(v[7]), Int16(v[8]), Int16(v[9]), Int16(v[10]), Int16(v[11]), Int16(v[12]), Int16(v[13]), Int16(v[14]), Int16(v[15]))
    }
    @inline(__always) static func i32(_ v: SIMD16<Int16>) -> SIMD16<Int32> {
        SIMD16<Int32>(Int32(v[0]), Int32(v[1]), Int32(v[2]), Int32(v[3]), Int32(v[4]), Int32(v[5]), Int32(v[6]), Int32(v[7]), Int32(v[8]), Int32(v[9]), Int32(v[10]), Int32(v[11]), Int32(v[12]), Int32(v[13]), Int32(v[14]), Int32(v[15]))
    }
    @inline(__always) static func float(_ v: SIMD16<Int32>) -> SIMD16<Float> {
        SIMD16<Float>(Float(v[0]), Float(v[1]), Float(v[2]), Float(v[3]), Float(v[4]), Float(v[5]), Float(v[6]), Float(v[7]), Float(v[8]), Float(v[9]), Float(v[10]), Float(v[11]), Float(v[12]), Float(v[13]), Float(v[14]), Float(v[15]))
    }
    @inline(__always) static func u8(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD16<UInt8> {
        p.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
    }
    @inline(__always) static func s8(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD16<Int8> {
        p.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int8>.self)
    }
    @inline(__always) static func signed(_ v: SIMD16<UInt8>) -> SIMD16<Int8> { unsafeBitCast(v, to: SIMD16<Int8>.self) }
    /// The f16 at `p + offset` as a Float.
    @inline(__always) static func f16(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        ScalarConversion.f16(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }
    @inline(__always) static func byte(_ p: UnsafeRawPointer, _ offset: Int) -> Int32 {
        Int32(p.load(fromByteOffset: offset, as: UInt8.self))
    }
    /// The fifth bits of 16 values of a Q5 block (bits 0..<16 of `bits`) as bytes 16 or 0, from a table of
    /// eight bytes per bit pattern: cheaper than variable shifts.
    @inline(__always) static func fifthBits(_ bits: UInt32) -> SIMD16<UInt8> {
        let table = FifthBitTable.bytes
        return unsafeBitCast(SIMD2<UInt64>(table[Int(bits & 0xff)], table[Int((bits >> 8) & 0xff)]), to: SIMD16<UInt8>.self)
    }
}

/// For each byte value v, eight bytes whose byte i is 16 when bit i of v is set: the Q5 fifth bits.

enum FifthBitTable {
    static let bytes: UnsafePointer<UInt64> = {
        let table = UnsafeMutablePointer<UInt64>.allocate(capacity: 256)
        for v in 0..<256 {
            var word: UInt64 = 0
            for i in 0..<8 where v & (1 << i) != 0 { word |= 16 << (8 * UInt64(i)) }
            table[v] = word
        }
        return UnsafePointer(table)
    }()
}
