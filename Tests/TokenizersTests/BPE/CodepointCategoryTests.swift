import XCTest
@testable import Tokenizers

/// Character classes against llama.cpp's generated tables (src/unicode-data.cpp of the vendored
/// llama.cpp: `unicode_ranges_flags` and `unicode_set_whitespace`). The whole range U+0000…U+10FFFF
/// was compared once with no difference; these are spot checks of each kind of entry, including a
/// character assigned after the Unicode 15.1 data llama.cpp was generated from.
final class CodepointCategoryTests: XCTestCase {
    func testFlagsMatchLlamaCppTables() {
        let expected: [(UInt32, UInt16)] = [
            (0x41, 0x004), (0x30, 0x002), (0x20, 0x108), (0xA0, 0x108), (0x85, 0x180), (0x1C89, 0x001),
            (0x301, 0x010), (0x2028, 0x108), (0xFFFD, 0x040), (0x1F999, 0x040), (0xE000, 0x080),
            (0x10FFFD, 0x080), (0x378, 0x001), (0xB2, 0x002), (0x663, 0x002), (0x4E2D, 0x004),
            (0x3000, 0x108), (0x1F1EB, 0x040), (0x200D, 0x080), (0xFEFF, 0x080), (0x1D11E, 0x040),
            (0x1E900, 0x004), (0x27, 0x020), (0x5F, 0x020),
        ]
        for (cpt, flags) in expected {
            XCTAssertEqual(CodepointCategory.of(cpt), flags, String(format: "U+%04X", cpt))
        }
    }

    func testBasicPlaneTableMatchesDirectComputation() {
        for cpt in stride(from: UInt32(0), to: 0x1_0000, by: 7) {
            XCTAssertEqual(CodepointCategory.basicPlane[Int(cpt)], CodepointCategory.compute(cpt))
        }
    }

    func testByteLevelAlphabetIsABijection() {
        let characters = ByteLevelEncoding.characterForByte
        XCTAssertEqual(Set(characters).count, 256)
        for b in 0...255 {
            XCTAssertEqual(ByteLevelEncoding.byte(for: characters[b]), UInt8(b))
        }
        XCTAssertEqual(ByteLevelEncoding.encode(Array(" \n".utf8)), "ĠĊ")
        XCTAssertEqual(ByteLevelEncoding.decode("ĠĊ"), Array(" \n".utf8))
        XCTAssertNil(ByteLevelEncoding.decode("<|im_start|> "), "a raw space is outside the alphabet")
    }
}
