/// A safetensors file that cannot be used, with what is wrong and where.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    case tooShort(path: String, size: Int)
    case badHeaderLength(path: String, length: UInt64, fileSize: Int)
    case badHeader(path: String, reason: String)
    case badTensorEntry(path: String, tensor: String, reason: String)
    case unsupportedDType(path: String, tensor: String, dtype: String)
    case sizeMismatch(path: String, tensor: String, shape: [Int], dtype: String, bytes: Int)
    case outOfBounds(path: String, tensor: String, begin: Int, end: Int, dataSize: Int)
    case overlapping(path: String, first: String, second: String)
    case missingTensor(path: String, tensor: String)

    public var description: String {
        switch self {
        case .tooShort(let path, let size):
            "\(path) is \(size) bytes, too short for a safetensors file (8-byte header length, then a JSON header)"
        case .badHeaderLength(let path, let length, let fileSize):
            "\(path): the header claims \(length) bytes but the file has \(fileSize); the file is truncated or not safetensors"
        case .badHeader(let path, let reason):
            "\(path): the JSON header is unusable: \(reason)"
        case .badTensorEntry(let path, let tensor, let reason):
            "\(path): tensor '\(tensor)': \(reason)"
        case .unsupportedDType(let path, let tensor, let dtype):
            "\(path): tensor '\(tensor)' has dtype \(dtype), which the engine cannot use"
        case .sizeMismatch(let path, let tensor, let shape, let dtype, let bytes):
            "\(path): tensor '\(tensor)' is \(dtype) \(shape) but spans \(bytes) bytes; the header is corrupt"
        case .outOfBounds(let path, let tensor, let begin, let end, let dataSize):
            "\(path): tensor '\(tensor)' spans bytes \(begin)..<\(end) of a data section of \(dataSize); the file is truncated or corrupt"
        case .overlapping(let path, let first, let second):
            "\(path): tensors '\(first)' and '\(second)' overlap; the file is corrupt"
        case .missingTensor(let path, let tensor):
            "\(path) lacks the tensor '\(tensor)'"
        }
    }
}
