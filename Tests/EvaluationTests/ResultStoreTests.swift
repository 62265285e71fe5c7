@testable import Evaluation
import Foundation
import GRDB
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

    /// Another process holding the write lock for a moment (here a second connection in an open
    /// transaction) makes opening and writing wait for it, not fail with "database is locked".
    func testOpeningAndSavingWaitForAnotherWriter() throws {
        let path = directory.appendingPathComponent("r.sqlite").path
        let store = try ResultStore(path: path)
        try store.register(ItemFactory.run("r1", name: "first", planned: 2))
        let other = try DatabaseQueue(path: path)
        let locked = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? other.inTransaction(.immediate) { _ in
                locked.signal()
                Thread.sleep(forTimeInterval: 0.5)
                return .commit
            }
            finished.signal()
        }
        locked.wait()
        let start = Date()
        let second = try ResultStore(path: path)
        try second.save(ItemFactory.item(run: "r1", question: "q1", correct: true))
        try store.save(ItemFactory.item(run: "r1", question: "q2", correct: false))
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.2, "the writes did not wait for the lock")
        finished.wait()
        XCTAssertEqual(try store.items(runID: "r1").count, 2)
    }

    /// A store left by the tool before items kept their label's probability and labeller: it
    /// opens, its items read back with those fields empty, new items keep them, and its
    /// unlabelled items can be labelled in place.
    func testAStoreFromBeforeSplitProvenanceOpensAndTakesLabels() throws {
        let path = directory.appendingPathComponent("old.sqlite").path
        try ResultStore(path: path, migratingUpTo: "v1").register(ItemFactory.run("r1", name: "old", planned: 3))
        try OldStore.insert(path: path, run: "r1", question: "q1", split: nil)
        try OldStore.insert(path: path, run: "r1", question: "q2", split: "reasoning")

        let store = try ResultStore(path: path)
        let old = try store.items(runID: "r1")
        XCTAssertEqual(old.map(\.questionID), ["q1", "q2"])
        XCTAssertEqual(old.map(\.splitProvenance), ["unlabelled", "dataset"])
        XCTAssertTrue(old.allSatisfy { $0.reasoningProbability == nil && $0.splitLabeller == nil })

        var new = ItemFactory.item(run: "r1", question: "q3", split: "knowledge", correct: true)
        new.splitSource = "stratifier"
        new.reasoningProbability = 0.125
        new.splitLabeller = "head, v0123abcd"
        try store.save(new)
        // Only the item without a split takes the label; the dataset's label stays.
        let changed = try store.storeLabels(runID: "r1", labels: ["q1", "q2"].map {
            QuestionLabel(benchmark: "medqa", questionID: $0, split: "knowledge", source: "stratifier", reasoningProbability: 0.25, labeller: "head, v0123abcd")
        })
        XCTAssertEqual(changed, 1)
        let items = try ResultStore(path: path).items(runID: "r1")
        XCTAssertEqual(items.map(\.splitProvenance), ["stratifier (head, v0123abcd)", "dataset", "stratifier (head, v0123abcd)"])
        XCTAssertEqual(items.map(\.split), ["knowledge", "reasoning", "knowledge"])
        XCTAssertEqual(items.map(\.reasoningProbability), [0.25, nil, 0.125])
        XCTAssertEqual(items[2], new)
        // Relabelling (stratify --store) replaces stratifier labels, never the dataset's.
        let relabelled = try store.storeLabels(runID: "r1", labels: ["q1", "q2", "q3"].map {
            QuestionLabel(benchmark: "medqa", questionID: $0, split: "reasoning", source: "stratifier", reasoningProbability: 0.75, labeller: "other, v4567cdef")
        }, replacingStratifierLabels: true)
        XCTAssertEqual(relabelled, 2)
        XCTAssertEqual(try store.items(runID: "r1").map(\.splitProvenance), ["stratifier (other, v4567cdef)", "dataset", "stratifier (other, v4567cdef)"])
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
