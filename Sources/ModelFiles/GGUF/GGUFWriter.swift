import Foundation
import TensorNumerics

/// Writes GGUF version 3 files: metadata, then tensor infos, then aligned tensor data — the
/// layout llama.cpp reads. Used by `convert` and by tests that build small models.
public struct GGUFWriter {
    /// A tensor to write: its bytes must already be in `format`'s layout.
    public struct Tensor {
        /// The tensor's name.
        public var name: String
        /// ggml's dimensions, innermost first.
        public var shape: [Int]
        /// The storage format.
        public var format: TensorFormat
        /// The bytes.
        public var data: Data

        /// Describes a tensor to write.
        public init(name: String, shape: [Int], format: TensorFormat, data: Data) {
            self.name = name
            self.shape = shape
            self.format = format
            self.data = data
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
    public func serialized() -> Data {
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
        var offsets: [Int] = []
        for tensor in tensors {
            offsets.append(offset)
            offset += (tensor.data.count + alignment - 1) / alignment * alignment
        }
        for (tensor, tensorOffset) in zip(tensors, offsets) {
            appendString(tensor.name, to: &out)
            append(UInt32(tensor.shape.count), to: &out)
            for d in tensor.shape { append(UInt64(d), to: &out) }
            append(tensor.format.ggmlType ?? UInt32.max, to: &out)
            append(UInt64(tensorOffset), to: &out)
        }
        pad(&out)
        for tensor in tensors {
            out.append(tensor.data)
            pad(&out)
        }
        return out
    }

    /// Writes the file to `url`.
    public func write(to url: URL) throws {
        try serialized().write(to: url)
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
