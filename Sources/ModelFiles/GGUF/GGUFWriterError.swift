/// Why a GGUF file could not be written.
public enum GGUFWriterError: Error, CustomStringConvertible {
    case cannotCreate(path: String)
    case sizeMismatch(tensor: String, declared: Int, produced: Int)

    public var description: String {
        switch self {
        case .cannotCreate(let path):
            "cannot create \(path): check that its folder exists and is writable"
        case .sizeMismatch(let tensor, let declared, let produced):
            "tensor '\(tensor)' was declared as \(declared) bytes but its data has \(produced) bytes"
        }
    }
}
