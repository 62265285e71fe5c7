import TensorNumerics

/// A GGUF file that cannot be used, with what is wrong and where.
public enum GGUFError: Error, CustomStringConvertible, Equatable {
    case notGGUF(path: String)
    case unsupportedVersion(path: String, version: UInt32)
    case truncated(path: String, while: String, offset: Int)
    case invalidValueType(path: String, key: String, type: UInt32)
    case absurdLength(path: String, what: String, length: UInt64)
    case invalidUTF8(path: String, what: String)
    case duplicateKey(path: String, key: String)
    case unknownTensorType(path: String, tensor: String, type: UInt32)
    case badTensorShape(path: String, tensor: String, detail: String)
    case tensorOutOfBounds(path: String, tensor: String, offset: UInt64, bytes: Int, fileSize: Int)
    case badAlignment(path: String, alignment: Int)
    case missingKey(path: String, key: String)
    case wrongValueType(path: String, key: String, expected: String, found: String)
    case missingTensor(path: String, tensor: String)

    public var description: String {
        switch self {
        case .notGGUF(let path):
            "\(path) is not a GGUF file (it does not start with the bytes 'GGUF')"
        case .unsupportedVersion(let path, let version):
            "\(path) is GGUF version \(version); versions 2 and 3 are supported (convert it again with a current llama.cpp)"
        case .truncated(let path, let what, let offset):
            "\(path) is truncated: the file ends at byte \(offset) while reading \(what) (re-download or re-convert it)"
        case .invalidValueType(let path, let key, let type):
            "\(path): metadata key '\(key)' has unknown value type \(type); the file is corrupt"
        case .absurdLength(let path, let what, let length):
            "\(path): \(what) claims length \(length), more than the file holds; the file is truncated or corrupt"
        case .invalidUTF8(let path, let what):
            "\(path): \(what) is not valid UTF-8; the file is corrupt"
        case .duplicateKey(let path, let key):
            "\(path): metadata key '\(key)' appears twice; the file is corrupt"
        case .unknownTensorType(let path, let tensor, let type):
            "\(path): tensor '\(tensor)' has ggml type id \(type), which this engine does not support"
        case .badTensorShape(let path, let tensor, let detail):
            "\(path): tensor '\(tensor)' has a bad shape: \(detail)"
        case .tensorOutOfBounds(let path, let tensor, let offset, let bytes, let fileSize):
            "\(path): tensor '\(tensor)' (\(bytes) bytes at data offset \(offset)) lies outside the file of \(fileSize) bytes; the file is truncated or corrupt"
        case .badAlignment(let path, let alignment):
            "\(path): general.alignment is \(alignment); it must be a power of two"
        case .missingKey(let path, let key):
            "\(path) lacks the metadata key '\(key)'"
        case .wrongValueType(let path, let key, let expected, let found):
            "\(path): metadata key '\(key)' is a \(found), expected \(expected)"
        case .missingTensor(let path, let tensor):
            "\(path) lacks the tensor '\(tensor)'"
        }
    }
}
