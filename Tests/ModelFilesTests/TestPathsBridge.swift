import Foundation
import TestSupport

/// Test-support paths, named locally so each test file reads plainly.
enum TestPathsBridge {
    static func defaultModel() throws -> URL { try TestPaths.defaultModel() }
}
