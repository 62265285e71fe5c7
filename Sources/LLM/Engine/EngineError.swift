/// A request a ``BatchEngine`` cannot take now.
public enum EngineError: Error, CustomStringConvertible, Equatable {
    /// The waiting queue is full.
    case queueFull(limit: Int)
    /// The engine is shutting down and takes no new requests.
    case shuttingDown

    public var description: String {
        switch self {
        case .queueFull(let limit):
            "the engine's queue is full (\(limit) requests waiting); retry later or raise the queue limit"
        case .shuttingDown:
            "the engine is shutting down and takes no new requests"
        }
    }
}
