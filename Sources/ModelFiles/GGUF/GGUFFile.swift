import Foundation
import TensorNumerics

/// A GGUF model file: its metadata and its tensors, memory-mapped and bounds-checked.
///
/// Every offset and length read from the file is checked against the file's size before use, so a
/// truncated or corrupt file is a ``GGUFError`` naming the key or tensor, never a crash.
public final class GGUFFile: @unchecked Sendable {
    /// The mapping that every tensor pointer points into; kept alive as long as the file.
    public let mapping: MappedFile
    /// The GGUF version (2 or 3).
    public let version: UInt32
    /// Metadata in file order.
    public let metadataKeys: [String]
    /// Metadata by key.
    public let metadata: [String: GGUFValue]
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// The alignment of tensor data (`general.alignment`, 32 by default).
    public let alignment: Int
    private let tensorIndex: [String: Int]

    /// The file's path.
    public var path: String { mapping.path }

    /// Opens and validates the GGUF file at `path`.
    public convenience init(path: String) throws {
        try self.init(mapping: MappedFile(path: path))
    }

    /// Validates a GGUF file that is already mapped.
    public init(mapping: MappedFile) throws {
        self.mapping = mapping
        var cursor = GGUFCursor(bytes: mapping.bytes, path: mapping.path)
        guard mapping.count >= 4, try cursor.read(UInt32.self, "the magic") == 0x4655_4747 else {
            throw GGUFError.notGGUF(path: mapping.path)
        }
        version = try cursor.read(UInt32.self, "the version")
        guard version == 2 || version == 3 else {
            throw GGUFError.unsupportedVersion(path: mapping.path, version: version)
        }
        let tensorCount = try cursor.read(UInt64.self, "the tensor count")
        let keyCount = try cursor.read(UInt64.self, "the metadata count")
        // A key takes at least 12 bytes and a tensor info at least 24: larger counts cannot fit the file.
        try cursor.checkCount(keyCount, minimumBytesEach: 12, what: "the metadata count")
        try cursor.checkCount(tensorCount, minimumBytesEach: 24, what: "the tensor count")

        var keys: [String] = []
        var values: [String: GGUFValue] = [:]
        for _ in 0..<Int(keyCount) {
            let key = try cursor.readString("a metadata key")
            let type = try cursor.read(UInt32.self, "the type of '\(key)'")
            let value = try cursor.readValue(type: type, key: key, depth: 0)
            guard values.updateValue(value, forKey: key) == nil else {
                throw GGUFError.duplicateKey(path: mapping.path, key: key)
            }
            keys.append(key)
        }
        metadataKeys = keys
        metadata = values

        let alignmentValue = values["general.alignment"]?.int ?? 32
        guard alignmentValue > 0, alignmentValue & (alignmentValue - 1) == 0 else {
            throw GGUFError.badAlignment(path: mapping.path, alignment: alignmentValue)
        }
        alignment = alignmentValue

        struct RawInfo { var name: String; var shape: [Int]; var type: UInt32; var offset: UInt64 }
        var raw: [RawInfo] = []
        raw.reserveCapacity(Int(tensorCount))
        for _ in 0..<Int(tensorCount) {
            let name = try cursor.readString("a tensor name")
            let dimensions = try cursor.read(UInt32.self, "the rank of '\(name)'")
            guard (1...4).contains(dimensions) else {
                throw GGUFError.badTensorShape(path: mapping.path, tensor: name, detail: "rank \(dimensions), expected 1 to 4")
            }
            var shape: [Int] = []
            for _ in 0..<dimensions {
                let d = try cursor.read(UInt64.self, "the shape of '\(name)'")
                guard d > 0, d < 1 << 40 else {
                    throw GGUFError.badTensorShape(path: mapping.path, tensor: name, detail: "dimension \(d)")
                }
                shape.append(Int(d))
            }
            let type = try cursor.read(UInt32.self, "the type of '\(name)'")
            let offset = try cursor.read(UInt64.self, "the offset of '\(name)'")
            raw.append(RawInfo(name: name, shape: shape, type: type, offset: offset))
        }

        let dataStart = (cursor.offset + alignment - 1) / alignment * alignment
        var infos: [GGUFTensorInfo] = []
        var index: [String: Int] = [:]
        for r in raw {
            guard let format = TensorFormat(ggmlType: r.type) else {
                throw GGUFError.unknownTensorType(path: mapping.path, tensor: r.name, type: r.type)
            }
            guard let rowBytes = format.rowBytes(r.shape[0]) else {
                throw GGUFError.badTensorShape(
                    path: mapping.path, tensor: r.name,
                    detail: "rows of \(r.shape[0]) values are not a whole number of \(format) blocks of \(format.blockElements)")
            }
            var bytes = rowBytes
            for d in r.shape.dropFirst() {
                let (product, overflow) = bytes.multipliedReportingOverflow(by: d)
                guard !overflow else {
                    throw GGUFError.badTensorShape(path: mapping.path, tensor: r.name, detail: "shape \(r.shape) overflows")
                }
                bytes = product
            }
            guard r.offset % UInt64(alignment) == 0 else {
                throw GGUFError.badTensorShape(path: mapping.path, tensor: r.name, detail: "data offset \(r.offset) is not aligned to \(alignment)")
            }
            let (start, overflow) = dataStart.addingReportingOverflow(Int(clamping: r.offset))
            guard !overflow, r.offset < UInt64(Int.max), start <= mapping.count, bytes <= mapping.count - start else {
                throw GGUFError.tensorOutOfBounds(path: mapping.path, tensor: r.name, offset: r.offset, bytes: bytes, fileSize: mapping.count)
            }
            guard index.updateValue(infos.count, forKey: r.name) == nil else {
                throw GGUFError.badTensorShape(path: mapping.path, tensor: r.name, detail: "the name appears twice")
            }
            infos.append(GGUFTensorInfo(name: r.name, shape: r.shape, format: format, fileOffset: start, byteCount: bytes))
        }
        tensors = infos
        tensorIndex = index
    }

    /// The info of the tensor named `name`, if present.
    public func tensorInfo(_ name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The bytes of a tensor, pointing into the mapping.
    public func data(of tensor: GGUFTensorInfo) -> UnsafeRawPointer {
        mapping.base + tensor.fileOffset
    }

    // MARK: Typed metadata access

    /// The value for `key`, or a ``GGUFError/missingKey(path:key:)`` error.
    public func value(_ key: String) throws -> GGUFValue {
        guard let v = metadata[key] else { throw GGUFError.missingKey(path: path, key: key) }
        return v
    }

    /// An integer value, or nil when absent; a value of another type is an error.
    public func int(_ key: String) throws -> Int? {
        guard let v = metadata[key] else { return nil }
        guard let i = v.int else { throw GGUFError.wrongValueType(path: path, key: key, expected: "integer", found: v.typeName) }
        return i
    }

    /// A floating-point value, or nil when absent.
    public func double(_ key: String) throws -> Double? {
        guard let v = metadata[key] else { return nil }
        guard let d = v.double else { throw GGUFError.wrongValueType(path: path, key: key, expected: "number", found: v.typeName) }
        return d
    }

    /// A string value, or nil when absent.
    public func string(_ key: String) throws -> String? {
        guard let v = metadata[key] else { return nil }
        guard let s = v.string else { throw GGUFError.wrongValueType(path: path, key: key, expected: "string", found: v.typeName) }
        return s
    }

    /// A boolean value, or nil when absent.
    public func bool(_ key: String) throws -> Bool? {
        guard let v = metadata[key] else { return nil }
        guard let b = v.bool else { throw GGUFError.wrongValueType(path: path, key: key, expected: "bool", found: v.typeName) }
        return b
    }

    /// An array of strings, or nil when absent.
    public func strings(_ key: String) throws -> [String]? {
        guard let v = metadata[key] else { return nil }
        guard let a = v.array else { throw GGUFError.wrongValueType(path: path, key: key, expected: "array of strings", found: v.typeName) }
        return try a.map {
            guard let s = $0.string else { throw GGUFError.wrongValueType(path: path, key: key, expected: "array of strings", found: "array of \($0.typeName)") }
            return s
        }
    }

    /// An array of integers, or nil when absent.
    public func ints(_ key: String) throws -> [Int]? {
        guard let v = metadata[key] else { return nil }
        guard let a = v.array else { throw GGUFError.wrongValueType(path: path, key: key, expected: "array of integers", found: v.typeName) }
        return try a.map {
            guard let i = $0.int else { throw GGUFError.wrongValueType(path: path, key: key, expected: "array of integers", found: "array of \($0.typeName)") }
            return i
        }
    }

    /// An array of numbers, or nil when absent.
    public func doubles(_ key: String) throws -> [Double]? {
        guard let v = metadata[key] else { return nil }
        guard let a = v.array else { throw GGUFError.wrongValueType(path: path, key: key, expected: "array of numbers", found: v.typeName) }
        return try a.map {
            guard let d = $0.double else { throw GGUFError.wrongValueType(path: path, key: key, expected: "array of numbers", found: "array of \($0.typeName)") }
            return d
        }
    }
}

/// A bounds-checked reader over the header of a GGUF file.
struct GGUFCursor {
    let bytes: UnsafeRawBufferPointer
    let path: String
    var offset = 0

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    var remaining: Int { bytes.count - offset }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        guard remaining >= MemoryLayout<T>.size else { throw GGUFError.truncated(path: path, while: what(), offset: bytes.count) }
        let v = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: v)
    }

    /// Rejects a count whose items cannot fit in the rest of the file, before anything is allocated for them.
    func checkCount(_ count: UInt64, minimumBytesEach: Int, what: String) throws {
        guard count <= UInt64(remaining / minimumBytesEach) else {
            throw GGUFError.absurdLength(path: path, what: what, length: count)
        }
    }

    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let length = try read(UInt64.self, what())
        guard length <= UInt64(remaining) else {
            throw GGUFError.truncated(path: path, while: what(), offset: bytes.count)
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)])
        offset += Int(length)
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw GGUFError.invalidUTF8(path: path, what: what())
        }
        return s
    }

    mutating func readValue(type: UInt32, key: String, depth: Int) throws -> GGUFValue {
        let what = "the value of '\(key)'"
        switch type {
        case 0: return .uint8(try read(UInt8.self, what))
        case 1: return .int8(try read(Int8.self, what))
        case 2: return .uint16(try read(UInt16.self, what))
        case 3: return .int16(try read(Int16.self, what))
        case 4: return .uint32(try read(UInt32.self, what))
        case 5: return .int32(try read(Int32.self, what))
        case 6: return .float32(Float(bitPattern: try read(UInt32.self, what)))
        case 7:
            let b = try read(UInt8.self, what)
            guard b <= 1 else { throw GGUFError.invalidValueType(path: path, key: key, type: 7) }
            return .bool(b == 1)
        case 8: return .string(try readString(what))
        case 9:
            guard depth == 0 else { throw GGUFError.invalidValueType(path: path, key: key, type: 9) }
            let elementType = try read(UInt32.self, "the element type of '\(key)'")
            let count = try read(UInt64.self, "the length of '\(key)'")
            let minimum: Int
            switch elementType {
            case 0, 1, 7: minimum = 1
            case 2, 3: minimum = 2
            case 4, 5, 6: minimum = 4
            case 8, 10, 11, 12: minimum = 8
            case 9: minimum = 12
            default: throw GGUFError.invalidValueType(path: path, key: key, type: elementType)
            }
            try checkCount(count, minimumBytesEach: minimum, what: "array '\(key)'")
            var elements: [GGUFValue] = []
            elements.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                elements.append(try readValue(type: elementType, key: key, depth: depth + 1))
            }
            return .array(elements)
        case 10: return .uint64(try read(UInt64.self, what))
        case 11: return .int64(try read(Int64.self, what))
        case 12: return .float64(Double(bitPattern: try read(UInt64.self, what)))
        default: throw GGUFError.invalidValueType(path: path, key: key, type: type)
        }
    }
}
