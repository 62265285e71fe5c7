/// GPT-2's reversible map between bytes and printable characters: byte-level vocabularies store
/// every token as text in which each byte appears as one of 256 visible characters (a space is
/// `Ġ`, a newline `Ċ`), so that merges and vocabulary files never hold raw control bytes.
public enum ByteLevelEncoding {
    /// The character that stands for each byte.
    public static let characterForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                // Bytes without a printable Latin-1 form take the next code points from U+0100 on.
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The UTF-8 of each byte's character, for building byte-level keys without allocating.
    static let utf8ForByte: [[UInt8]] = characterForByte.map { Array(String($0).utf8) }

    /// The byte that a character stands for, or nil for a character outside the alphabet.
    @inline(__always)
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        if v < 256 {
            return isPrintable(UInt8(v)) ? UInt8(v) : nil
        }
        guard v < 256 + 68 else { return nil }
        return nonPrintableBytes[Int(v - 256)]
    }

    /// The raw bytes of a byte-level token text, or nil when a character is outside the alphabet.
    public static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard let b = byte(for: scalar) else { return nil }
            bytes.append(b)
        }
        return bytes
    }

    /// The byte-level text of raw bytes.
    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(characterForByte[Int(b)]) }
        return String(scalars)
    }

    /// `!`…`~`, `¡`…`¬` and `®`…`ÿ` stand for themselves.
    @inline(__always)
    static func isPrintable(_ b: UInt8) -> Bool {
        (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
    }

    /// The 68 bytes that are not printable, in order: they map to U+0100, U+0101, ….
    private static let nonPrintableBytes: [UInt8] = (0...255).map(UInt8.init).filter { !isPrintable($0) }
}
