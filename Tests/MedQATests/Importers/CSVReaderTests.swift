import MedQA
import XCTest

final class CSVReaderTests: XCTestCase {
    func testQuotesCommasNewlinesAndLineNumbers() throws {
        let text = "a,b\r\n\"x, \"\"y\"\"\",\"multi\nline\"\n3,4\n"
        let rows = try CSVReader.parse(text, file: "t.csv")
        XCTAssertEqual(rows.map(\.fields), [["a", "b"], ["x, \"y\"", "multi\nline"], ["3", "4"]])
        XCTAssertEqual(rows.map(\.line), [1, 2, 4])
    }

    func testUnclosedQuoteIsAnError() {
        XCTAssertThrowsError(try CSVReader.parse("a,\"b\nc", file: "t.csv")) { error in
            XCTAssertEqual(error as? ImportError, .malformed(file: "t.csv", location: .line(1), reason: "a quoted field is never closed"))
        }
    }

    func testExtraNonEmptyFieldIsAnError() {
        XCTAssertThrowsError(try CSVReader.records("a,b\n1,2,,\n1,2,3\n", file: "t.csv")) { error in
            guard case .malformed(_, .line(3)?, _)? = error as? ImportError else { return XCTFail("\(error)") }
        }
    }
}
