import LLM
import XCTest

final class StopStringMatcherTests: XCTestCase {
    func testStopStringSplitAcrossPiecesIsNeverShown() {
        var m = StopStringMatcher(stops: ["</answer>"])
        var shown = ""
        var stopped = false
        for piece in ["The answer is C", "</ans", "wer> trailing"] {
            let r = m.feed(piece)
            shown += r.emit
            if r.stopped { stopped = true; break }
        }
        XCTAssertTrue(stopped)
        XCTAssertEqual(shown, "The answer is C")
    }

    func testHeldBackTextIsReleasedWhenItDoesNotBecomeAStop() {
        var m = StopStringMatcher(stops: ["###"])
        XCTAssertEqual(m.feed("a #").emit, "a ")
        XCTAssertEqual(m.feed("# b").emit, "## b")
        XCTAssertEqual(m.feed("#").emit, "")
        XCTAssertEqual(m.flush(), "#")
    }

    func testNoStopsPassesEverythingThrough() {
        var m = StopStringMatcher(stops: [])
        XCTAssertEqual(m.feed("abc").emit, "abc")
        XCTAssertEqual(m.flush(), "")
    }
}
