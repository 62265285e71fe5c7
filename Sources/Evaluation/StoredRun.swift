import Foundation
import GRDB

/// A run as the store keeps it.
public struct StoredRun: Sendable, Codable, Hashable, FetchableRecord, PersistableRecord {
    /// The table.
    public static let databaseTableName = "runs"
    /// `RunSettings.identity`.
    public var id: String
    /// The name given with `--run`, else the identity.
    public var name: String
    /// The settings as JSON.
    public var settingsJSON: String
    /// The model's display name.
    public var modelName: String
    /// How many items the run has in all.
    public var plannedItems: Int
    /// When it was first started.
    public var createdAt: Date

    /// A run record.
    public init(id: String, name: String, settingsJSON: String, modelName: String, plannedItems: Int, createdAt: Date) {
        self.id = id
        self.name = name
        self.settingsJSON = settingsJSON
        self.modelName = modelName
        self.plannedItems = plannedItems
        self.createdAt = createdAt
    }

    /// The decoded settings.
    public var settings: RunSettings? {
        try? JSONDecoder().decode(RunSettings.self, from: Data(settingsJSON.utf8))
    }
}
