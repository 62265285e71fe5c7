import Foundation
import TensorNumerics

/// Writes safetensors files (header JSON with sorted keys, then the data in order), for tests and
/// tools that produce small checkpoints.
public struct SafetensorsWriter {
    private var entries: [(name: String, dtype: String, shape: [Int], data: Data)] = []
    /// Free-form metadata.
    public var metadata: [String: String] = [:]

    /// An empty file.
    public init() {}

    /// Adds a tensor whose bytes are already in `dtype`'s layout.
    public mutating func add(name: String, dtype: String, shape: [Int], data: Data) {
        entries.append((name, dtype, shape, data))
    }

    /// Adds an F32 tensor.
    public mutating func add(name: String, shape: [Int], floats: [Float]) {
        add(name: name, dtype: "F32", shape: shape, data: floats.withUnsafeBufferPointer { Data(buffer: $0) })
    }

    /// The file's bytes.
    public func serialized() throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for e in entries {
            header[e.name] = ["dtype": e.dtype, "shape": e.shape, "data_offsets": [offset, offset + e.data.count]]
            offset += e.data.count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces to 8 bytes, as the reference writer does.
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for e in entries { out.append(e.data) }
        return out
    }

    /// Writes the file to `url`.
    public func write(to url: URL) throws {
        try serialized().write(to: url)
    }
}
