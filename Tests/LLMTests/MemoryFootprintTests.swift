import LLM
import ModelFiles
import TestSupport
import XCTest

/// The footprint's split of resident memory into the program's files and the rest, read from /proc.
final class MemoryFootprintTests: XCTestCase {
    func testMappedModelFileCountsAsModelNotProgram() throws {
        let path = try TestPaths.defaultModel().path
        let file = try MappedFile(path: path)
        // Touch every page so that the whole file is resident.
        var sum: UInt8 = 0
        for offset in stride(from: 0, to: file.count, by: 4096) { sum &+= file.bytes[offset] }
        withExtendedLifetime(sum) {}

        guard let asProgram = MemoryFootprint.current(weights: file.count, kvCache: 0, modelFiles: []),
              let asModel = MemoryFootprint.current(weights: file.count, kvCache: 0, modelFiles: [path]) else {
            throw XCTSkip("no /proc/self/smaps on this system")
        }
        let programFiles = try XCTUnwrap(asModel.programFiles)
        XCTAssertGreaterThan(programFiles, 1 << 20, "the Swift runtime's pages are resident")
        XCTAssertGreaterThanOrEqual(asModel.resident, programFiles + file.count * 9 / 10, "the touched file is resident")
        // Naming the file moves its pages out of the program's share.
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(asProgram.programFiles) - programFiles, file.count * 9 / 10)
        XCTAssertNotNil(asModel.engineOverhead)
        withExtendedLifetime(file) {}
    }
}
