import Foundation
import TensorNumerics

/// Writes GGUF version 3 files: metadata, then tensor infos, then aligned tensor data — the
/// layout llama.cpp reads. Used by `convert` and by tests that build small models.
public struct GGUFWriter {
    /// A tensor to write: its bytes in `format`'s layout, given up front or produced when the file
    /// is written.
    public struct Tensor {
        /// The tensor's name.
        public var name: String
        /// ggml's dimensions, innermost first.
        public var shape: [Int]
        /// The storage format.
        public var format: TensorFormat
        /// The size of the tensor's data in bytes.
        public var byteCount: Int
        let produce: () throws -> Data

        /// Describes a tensor whose bytes are `data`.
        public init(name: String, shape: [Int], format: TensorFormat, data: Data) {
            self.name = name
            self.shape = shape
            self.format = format
            byteCount = data.count
            produce = { data }
        }

        /// Describes a tensor of `byteCount` bytes that `produce` computes while the file is written,
        /// so that only one tensor's data is in memory at a time (`write(to:)` streams them).
        public init(name: String, shape: [Int], format: TensorFormat, byteCount: Int, produce: @escaping () throws -> Data) {
            self.name = name
            self.shape = shape
            self.format = format
            self.byteCount = byteCount
            self.produce = produce
        }
    }

    /// Metadata in the order it will be written.
    public private(set) var metadata: [(key: String, value: GGUFValue)] = []
    /// Tensors in the order they will be written.
    public private(set) var tensors: [Tensor] = []
    /// The data alignment.
    public var alignment = 32

    /// An empty file.
    public init() {}

    /// Adds (or replaces) a metadata value.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if let i = metadata.firstIndex(where: { $0.key == key }) {
            metadata[i].value = value
        } else {
            metadata.append((key, value))
        }
    }

    /// Adds a tensor.
    public mutating func add(_ tensor: Tensor) {
        tensors.append(tensor)
    }

    /// Adds an f32 tensor from floats.
    public mutating func add(name: String, shape: [Int], floats: [Float]) {
        let data = floats.withUnsafeBufferPointer { Data(buffer: $0) }
        add(Tensor(name: name, shape: shape, format: .f32, data: data))
    }

    /// The file's bytes.
    public func serialized() throws -> Data {
        var out = Data()
        try emit { out.append($0) }
        return out
    }

    /// Writes the file to `url`, one tensor at a time: each tensor's data is produced, written and
    /// released before the next, so memory holds one tensor however large the file.
    public func write(to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw GGUFWriterError.cannotCreate(path: url.path)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try emit { try handle.write(contentsOf: $0) }
    }

    /// Hands the file's bytes to `sink` in order: the header, then each tensor's padded data.
    private func emit(_ sink: (Data) throws -> Void) throws {
        try sink(header())
        for tensor in tensors {
            var data = try tensor.produce()
            guard data.count == tensor.byteCount else {
                throw GGUFWriterError.sizeMismatch(tensor: tensor.name, declared: tensor.byteCount, produced: data.count)
            }
            pad(&data)
            try sink(data)
        }
    }

    /// Magic, counts, metadata and tensor infos, padded to the alignment.
    private func header() -> Data {
        var out = Data()
        out.append(contentsOf: Array("GGUF".utf8))
        append(UInt32(3), to: &out)
        append(UInt64(tensors.count), to: &out)
        var meta = metadata
        if alignment != 32, !meta.contains(where: { $0.key == "general.alignment" }) {
            meta.append(("general.alignment", .uint32(UInt32(alignment))))
        }
        append(UInt64(meta.count), to: &out)
        for (key, value) in meta {
            appendString(key, to: &out)
            append(typeID(of: value), to: &out)
            appendValue(value, to: &out)
        }
        var offset = 0
        for tensor in tensors {
            appendString(tensor.name, to: &out)
            append(UInt32(tensor.shape.count), to: &out)
            for d in tensor.shape { append(UInt64(d), to: &out) }
            append(tensor.format.ggmlType ?? UInt32.max, to: &out)
            append(UInt64(offset), to: &out)
            offset += (tensor.byteCount + alignment - 1) / alignment * alignment
        }
        pad(&out)
        return out
    }

    private func pad(_ out: inout Data) {
        let remainder = out.count % alignment
        if remainder != 0 { out.append(Data(count: alignment - remainder)) }
    }

    private func append<T: FixedWidthInteger>(_ value: T, to out: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    private func appendString(_ s: String, to out: inout Data) {
        append(UInt64(s.utf8.count), to: &out)
        out.append(contentsOf: Array(s.utf8))
    }

    private func typeID(of value: GGUFValue) -> UInt32 {
        switch value {
        case .uint8: 0
        case .int8: 1
        case .uint16: 2
        case .int16: 3
        case .uint32: 4
        case .int32: 5
        case .float32: 6
        case .bool: 7
        case .string: 8
        case .array: 9
        case .uint64: 10
        case .int64: 11
        case .float64: 12
        }
    }

    private func appendValue(_ value: GGUFValue, to out: inout Data) {
        switch value {
        case .uint8(let v): append(v, to: &out)
        case .int8(let v): append(v, to: &out)
        case .uint16(let v): append(v, to: &out)
        case .int16(let v): append(v, to: &out)
        case .uint32(let v): append(v, to: &out)
        case .int32(let v): append(v, to: &out)
        case .float32(let v): append(v.bitPattern, to: &out)
        case .bool(let v): append(UInt8(v ? 1 : 0), to: &out)
        case .string(let s): appendString(s, to: &out)
        case .array(let elements):
            append(elements.first.map(typeID(of:)) ?? 4, to: &out)
            append(UInt64(elements.count), to: &out)
            for e in elements { appendValue(e, to: &out) }
        case .uint64(let v): append(v, to: &out)
        case .int64(let v): append(v, to: &out)
        case .float64(let v): append(v.bitPattern, to: &out)
        }
    }
}
