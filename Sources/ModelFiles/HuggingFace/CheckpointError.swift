/// A Hugging Face model folder that cannot be used, naming the file and tensor at fault.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case missingFile(path: String)
    case badJSON(path: String, reason: String)
    case badConfigValue(path: String, key: String, reason: String)
    case noWeights(folder: String)
    case missingShard(index: String, shard: String, tensor: String)
    case missingTensor(folder: String, tensor: String)
    case duplicateTensor(tensor: String, first: String, second: String)

    public var description: String {
        switch self {
        case .missingFile(let path):
            "\(path) is missing; a Hugging Face model folder needs it"
        case .badJSON(let path, let reason):
            "\(path) is not usable JSON: \(reason)"
        case .badConfigValue(let path, let key, let reason):
            "\(path): '\(key)' \(reason)"
        case .noWeights(let folder):
            "\(folder) holds no model.safetensors.index.json and no *.safetensors file"
        case .missingShard(let index, let shard, let tensor):
            "\(index) maps tensor '\(tensor)' to \(shard), which is missing from the folder"
        case .missingTensor(let folder, let tensor):
            "\(folder): the checkpoint lacks the tensor '\(tensor)'"
        case .duplicateTensor(let tensor, let first, let second):
            "tensor '\(tensor)' is stored in both \(first) and \(second); the checkpoint is ambiguous"
        }
    }
}
