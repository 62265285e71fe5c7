import Foundation
import MedQA
import TestSupport
import XCTest

func fixture(_ name: String) -> URL { TestPaths.fixture("medqa/\(name)") }

/// The `ImportError` that `body` throws, failing the test if it throws nothing or something else.
func importError(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> ImportError? {
    do {
        _ = try body()
        XCTFail("expected an ImportError", file: file, line: line)
    } catch let error as ImportError {
        return error
    } catch {
        XCTFail("expected an ImportError, got \(error)", file: file, line: line)
    }
    return nil
}
