import Foundation

/// The weights of a Hugging Face model folder: one `model.safetensors`, or shards listed by
/// `model.safetensors.index.json`. Every shard is memory-mapped and validated when opened, and
/// every tensor the index names is checked to be in the shard it names.
public final class SafetensorsCheckpoint: @unchecked Sendable {
    /// The folder.
    public let folder: String
    /// The shards, in file-name order.
    public let files: [SafetensorsFile]
    private let location: [String: Int]

    /// The name of the index of a sharded checkpoint.
    public static let indexName = "model.safetensors.index.json"

    /// Opens the safetensors weights of `folder`.
    public init(folder: String) throws {
        self.folder = folder
        let root = URL(fileURLWithPath: folder)
        let indexURL = root.appendingPathComponent(SafetensorsCheckpoint.indexName)
        var files: [SafetensorsFile] = []
        var location: [String: Int] = [:]
        if FileManager.default.fileExists(atPath: indexURL.path) {
            let object = try HuggingFaceJSON.object(at: indexURL.path)
            guard let weightMap = object["weight_map"] as? [String: String] else {
                throw CheckpointError.badJSON(path: indexURL.path, reason: "no 'weight_map' of tensor names to shard files")
            }
            var shardIndex: [String: Int] = [:]
            for (tensor, shard) in weightMap.sorted(by: { $0.key < $1.key }) {
                let shardPath = root.appendingPathComponent(shard).path
                // A shard name must stay inside the folder: the index is data, not a path to trust.
                guard !shard.contains("/"), shard != "..", FileManager.default.fileExists(atPath: shardPath) else {
                    throw CheckpointError.missingShard(index: indexURL.path, shard: shard, tensor: tensor)
                }
                if shardIndex[shard] == nil {
                    shardIndex[shard] = files.count
                    files.append(try SafetensorsFile(path: shardPath))
                }
                let i = shardIndex[shard]!
                guard files[i].tensorInfo(tensor) != nil else {
                    throw SafetensorsError.missingTensor(path: shardPath, tensor: tensor)
                }
                location[tensor] = i
            }
        } else {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names.filter({ $0.hasSuffix(".safetensors") }).sorted() {
                let file = try SafetensorsFile(path: root.appendingPathComponent(name).path)
                for tensor in file.tensors {
                    if let previous = location[tensor.name] {
                        throw CheckpointError.duplicateTensor(tensor: tensor.name, first: files[previous].path, second: file.path)
                    }
                    location[tensor.name] = files.count
                }
                files.append(file)
            }
        }
        guard !files.isEmpty else { throw CheckpointError.noWeights(folder: folder) }
        self.files = files
        self.location = location
    }

    /// Every tensor name, sorted.
    public var tensorNames: [String] { location.keys.sorted() }

    /// The file holding `name` and its info, or nil when the checkpoint lacks it.
    public func tensor(_ name: String) -> (file: SafetensorsFile, info: SafetensorsTensorInfo)? {
        guard let i = location[name], let info = files[i].tensorInfo(name) else { return nil }
        return (files[i], info)
    }

    /// The file holding `name` and its info; a typed error naming the folder and tensor when absent.
    public func requiredTensor(_ name: String) throws -> (file: SafetensorsFile, info: SafetensorsTensorInfo) {
        guard let found = tensor(name) else { throw CheckpointError.missingTensor(folder: folder, tensor: name) }
        return found
    }

    /// Drops the resident pages of `span` from whichever shard's mapping holds it (see
    /// `MappedFile.dropResidentPages(_:)`); a span outside every shard is left alone.
    public func dropResidentPages(_ span: UnsafeRawBufferPointer) {
        for file in files where file.mapping.dropResidentPages(span) { return }
    }
}
