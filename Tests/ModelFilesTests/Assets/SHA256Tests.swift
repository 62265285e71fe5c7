import ModelFiles
import XCTest

final class SHA256Tests: XCTestCase {
    private func hex(_ s: String) -> String {
        Array(s.utf8).withUnsafeBytes { SHA256.hex(of: $0) }
    }

    func testKnownVectors() {
        // FIPS 180-4 examples.
        XCTAssertEqual(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testIncrementalUpdatesMatchOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let whole = bytes.withUnsafeBytes { SHA256.hex(of: $0) }
        var digest = SHA256()
        for chunk in stride(from: 0, to: bytes.count, by: 37) {
            digest.update(bytes[chunk..<min(chunk + 37, bytes.count)])
        }
        XCTAssertEqual(digest.finalizeHex(), whole)
    }
}
