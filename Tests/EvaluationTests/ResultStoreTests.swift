import Evaluation
import Foundation
import XCTest

final class ResultStoreTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testItemsRoundTripAcrossReopeningAndAreNeverStoredTwice() throws {
        let path = directory.appendingPathComponent("r.sqlite").path
        let items = [
            ItemFactory.item(run: "r1", question: "q1", correct: true),
            ItemFactory.item(run: "r1", question: "q1", variant: "prefill", correct: false),
            ItemFactory.item(run: "r1", question: "q2", split: nil, correct: false, unparsed: true),
        ]
        do {
            let store = try ResultStore(path: path)
            try store.register(ItemFactory.run("r1", name: "first", planned: 3))
            for item in items { try store.save(item) }
            // A second save of a finished item (e.g. a racing resume) keeps the first.
            var again = items[0]
            again.completion = "changed"
            try store.save(again)
        }
        let reopened = try ResultStore(path: path)
        let stored = try reopened.items(runID: "r1")
        XCTAssertEqual(stored.count, 3)
        XCTAssertEqual(Set(stored), Set(items))
        XCTAssertEqual(try reopened.finishedKeys(runID: "r1"), Set(items.map(\.itemKey)))
        XCTAssertEqual(try reopened.run(named: "first").id, "r1")
        XCTAssertEqual(try reopened.run(named: "r1").name, "first")
        // WAL mode, so `report` can read while `eval` writes.
        let wal = FileManager.default.fileExists(atPath: path + "-wal")
        XCTAssertTrue(wal)
    }

    func testRegisteringAnExistingRunKeepsItsName() throws {
        let store = try ResultStore(path: directory.appendingPathComponent("r.sqlite").path)
        try store.register(ItemFactory.run("r1", name: "first", planned: 3))
        let again = try store.register(ItemFactory.run("r1", name: "second", planned: 3))
        XCTAssertEqual(again.name, "first")
        XCTAssertEqual(try store.runs().count, 1)
    }

    func testAFileThatIsNotSQLiteIsATypedError() throws {
        let path = directory.appendingPathComponent("notes.txt").path
        try Data("these are my notes, not a database\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ResultStore(path: path)) { error in
            XCTAssertEqual(error as? StoreError, .notSQLite(path: path))
            XCTAssertTrue("\(error)".contains("not an SQLite database"))
        }
    }

    func testUnknownRunListsTheKnownOnes() throws {
        let store = try ResultStore(path: directory.appendingPathComponent("r.sqlite").path)
        try store.register(ItemFactory.run("abc123", name: "smol", planned: 1))
        XCTAssertThrowsError(try store.run(named: "llama")) { error in
            XCTAssertEqual(error as? StoreError, .unknownRun(name: "llama", known: ["smol"]))
        }
    }
}
