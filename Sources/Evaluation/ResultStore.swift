import Foundation
import GRDB

/// The SQLite file that holds runs and their items (WAL mode, so `report` can read while `eval`
/// writes). Each item is committed on its own as soon as it is answered, so a kill loses only the
/// items in flight, and a unique key on (run, benchmark, question, mode, variant) means an item is
/// never stored twice.
public struct ResultStore: Sendable {
    /// The file.
    public let path: String
    private let pool: DatabasePool

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws {
        try self.init(path: path, migratingUpTo: nil)
    }

    /// Opens the store with its schema brought up to `migration` (all when nil): tests make stores
    /// as older versions of the tool left them.
    init(path: String, migratingUpTo migration: String?) throws {
        self.path = path
        if FileManager.default.fileExists(atPath: path), !Self.looksLikeSQLite(path) {
            throw StoreError.notSQLite(path: path)
        }
        do {
            // Two processes on one store (`report` or a second `eval` opening it while `eval` writes, each
            // opening also checking the schema) contend for the write lock for moments: wait for it rather
            // than fail with "database is locked".
            var configuration = Configuration()
            configuration.busyMode = .timeout(Self.busyTimeout)
            pool = try DatabasePool(path: path, configuration: configuration)
            if let migration { try Self.migrator.migrate(pool, upTo: migration) } else { try Self.migrator.migrate(pool) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notSQLite(path: path)
        } catch let error as DatabaseError {
            throw StoreError.database(path: path, message: error.message ?? "\(error)")
        }
    }

    /// Seconds to wait for another process's write to the store to finish.
    static let busyTimeout: TimeInterval = 30

    /// SQLite files start with this 16-byte header; an empty file is fine (SQLite initialises it).
    private static func looksLikeSQLite(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        return head.isEmpty || head == Data("SQLite format 3\0".utf8)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "runs") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull().indexed()
                t.column("settingsJSON", .text).notNull()
                t.column("modelName", .text).notNull()
                t.column("plannedItems", .integer).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "items") { t in
                t.column("runID", .text).notNull().references("runs", onDelete: .cascade)
                t.column("benchmark", .text).notNull()
                t.column("questionID", .text).notNull()
                t.column("subject", .text)
                t.column("split", .text)
                t.column("splitSource", .text)
                t.column("mode", .text).notNull()
                t.column("variant", .text).notNull()
                t.column("promptHash", .text).notNull()
                t.column("adversarialLetter", .text)
                t.column("answer", .text).notNull()
                t.column("completion", .text).notNull()
                t.column("extracted", .text)
                t.column("rule", .text)
                t.column("correct", .boolean).notNull()
                t.column("unparsed", .boolean).notNull()
                t.column("promptTokens", .integer).notNull()
                t.column("completionTokens", .integer).notNull()
                t.column("latency", .double).notNull()
                t.column("finishedAt", .datetime).notNull()
                t.primaryKey(["runID", "benchmark", "questionID", "mode", "variant"])
            }
        }
        // Stores written before labels carried their probability and labeller keep NULLs there;
        // `EvaluationRunner` labels such items when it resumes their run.
        migrator.registerMigration("v2-split-provenance") { db in
            try db.alter(table: "items") { t in
                t.add(column: "reasoningProbability", .double)
                t.add(column: "splitLabeller", .text)
            }
        }
        return migrator
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as StoreError { throw error } catch let error as DatabaseError {
            throw StoreError.database(path: path, message: error.message ?? "\(error)")
        }
    }

    /// Records `run` if it is new; an existing run keeps its name and creation time.
    @discardableResult
    public func register(_ run: StoredRun) throws -> StoredRun {
        try wrap {
            try pool.write { db in
                if let existing = try StoredRun.fetchOne(db, key: run.id) { return existing }
                try run.insert(db)
                return run
            }
        }
    }

    /// Stores one finished item in its own transaction. An item already stored is left as it was.
    public func save(_ item: StoredItem) throws {
        try wrap {
            try pool.write { db in try item.insert(db, onConflict: .ignore) }
        }
    }

    /// Sets the split of the stored items of `runID` that have none, question by question
    /// (`labels` keyed by benchmark and question id); with `replacingStratifierLabels`, also of
    /// those a stratifier labelled (a dataset's own label always stays). Returns how many items changed.
    @discardableResult
    public func storeLabels(runID: String, labels: [QuestionLabel], replacingStratifierLabels: Bool = false) throws -> Int {
        let which = replacingStratifierLabels ? "(split IS NULL OR splitSource = 'stratifier')" : "split IS NULL"
        return try wrap {
            try pool.write { db in
                var changed = 0
                for label in labels {
                    try db.execute(sql: """
                        UPDATE items SET split = ?, splitSource = ?, reasoningProbability = ?, splitLabeller = ?
                        WHERE runID = ? AND benchmark = ? AND questionID = ? AND \(which)
                        """, arguments: [label.split, label.source, label.reasoningProbability, label.labeller,
                                         runID, label.benchmark, label.questionID])
                    changed += db.changesCount
                }
                return changed
            }
        }
    }

    /// The keys of the items of `runID` already stored.
    public func finishedKeys(runID: String) throws -> Set<ItemKey> {
        try wrap {
            try pool.read { db in
                Set(try StoredItem.filter(Column("runID") == runID).fetchAll(db).map(\.itemKey))
            }
        }
    }

    /// The items of `runID`, in a stable order.
    public func items(runID: String) throws -> [StoredItem] {
        try wrap {
            try pool.read { db in
                try StoredItem.filter(Column("runID") == runID)
                    .order(Column("benchmark"), Column("questionID"), Column("mode"), Column("variant"))
                    .fetchAll(db)
            }
        }
    }

    /// Every run, oldest first.
    public func runs() throws -> [StoredRun] {
        try wrap { try pool.read { db in try StoredRun.order(Column("createdAt"), Column("id")).fetchAll(db) } }
    }

    /// The run called `name`, or whose identity is or starts with `name`.
    public func run(named name: String) throws -> StoredRun {
        let all = try runs()
        let byName = all.filter { $0.name == name }
        let matches = byName.isEmpty ? all.filter { $0.id.hasPrefix(name) } : byName
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty { throw StoreError.unknownRun(name: name, known: all.map(\.name)) }
        // Several runs with one name (e.g. re-run with new settings): the newest wins, as a user expects.
        if !byName.isEmpty { return byName.last! }
        throw StoreError.ambiguousRun(name: name, matches: matches.map(\.id))
    }
}
