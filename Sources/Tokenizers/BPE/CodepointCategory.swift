import Foundation

/// The character classes that pre-tokenizer rules test, per code point, as llama.cpp's
/// `unicode_cpt_flags` defines them: exactly one general-category bit (`\p{L}`, `\p{N}`, …) plus
/// a whitespace bit for the Unicode `White_Space` property (`\s`).
///
/// A value of zero never describes a real code point (unassigned ones are `undefined`), so the
/// splitters use zero for "past the end of the segment", as llama.cpp does.
struct CodepointCategory: Sendable, Equatable {
    var rawValue: UInt16

    static let undefined: UInt16 = 0x0001
    static let number: UInt16 = 0x0002
    static let letter: UInt16 = 0x0004
    static let separator: UInt16 = 0x0008
    static let mark: UInt16 = 0x0010
    static let punctuation: UInt16 = 0x0020
    static let symbol: UInt16 = 0x0040
    static let control: UInt16 = 0x0080
    static let whitespace: UInt16 = 0x0100
    /// The category bits, without `whitespace`.
    static let categoryMask: UInt16 = 0x00FF

    @inline(__always) var isLetter: Bool { rawValue & Self.letter != 0 }
    @inline(__always) var isNumber: Bool { rawValue & Self.number != 0 }
    @inline(__always) var isWhitespace: Bool { rawValue & Self.whitespace != 0 }
    @inline(__always) var isMark: Bool { rawValue & Self.mark != 0 }
    @inline(__always) var isPunctuation: Bool { rawValue & Self.punctuation != 0 }

    /// The flags of one code point.
    @inline(__always) static func of(_ cpt: UInt32) -> UInt16 {
        cpt < 0x1_0000 ? basicPlane[Int(cpt)] : compute(cpt)
    }

    /// The Basic Multilingual Plane, precomputed once: nearly all text stays inside it, and
    /// Swift's property lookup is too slow to repeat for every character of every prompt. Built
    /// in parallel because 65,536 property lookups take several milliseconds on one core.
    static let basicPlane: [UInt16] = {
        let chunks = 64, chunkSize = 0x1_0000 / chunks
        var table = [UInt16](repeating: 0, count: 0x1_0000)
        table.withUnsafeMutableBufferPointer { table in
            let base = table.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for cpt in chunk * chunkSize..<(chunk + 1) * chunkSize {
                    base[cpt] = compute(UInt32(cpt))
                }
            }
        }
        return table
    }()

    /// Maps Swift's Unicode general category onto llama.cpp's flags (gen-unicode-data.py:
    /// Cn is undefined; Cc, Cf, Co and Cs are control; Z* are separators).
    static func compute(_ cpt: UInt32) -> UInt16 {
        guard let scalar = Unicode.Scalar(cpt) else {
            // Surrogate code points cannot appear in a Swift string but are category Cs.
            return (0xD800...0xDFFF).contains(cpt) ? control : undefined
        }
        let properties = scalar.properties
        // llama.cpp's tables are Unicode 15.1: characters assigned later are still undefined there,
        // and classifying them as letters would split text differently from llama.cpp.
        if let age = properties.age, age.major >= 16 {
            return properties.isWhitespace ? undefined | whitespace : undefined
        }
        var flags: UInt16
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            flags = letter
        case .nonspacingMark, .spacingMark, .enclosingMark:
            flags = mark
        case .decimalNumber, .letterNumber, .otherNumber:
            flags = number
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            flags = punctuation
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            flags = symbol
        case .spaceSeparator, .lineSeparator, .paragraphSeparator:
            flags = separator
        case .control, .format, .surrogate, .privateUse:
            flags = control
        case .unassigned:
            flags = undefined
        @unknown default:
            flags = undefined
        }
        if properties.isWhitespace { flags |= whitespace }
        return flags
    }
}
