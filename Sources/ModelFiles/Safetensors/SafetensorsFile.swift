import Foundation
import TensorNumerics

/// A safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte span, then the data. Memory-mapped; every span is checked against the
/// file and against the others before any tensor is used.
public final class SafetensorsFile: @unchecked Sendable {
    /// The mapping that tensor pointers point into.
    public let mapping: MappedFile
    /// Tensors in file order.
    public let tensors: [SafetensorsTensorInfo]
    /// The free-form `__metadata__` strings.
    public let metadata: [String: String]
    private let index: [String: Int]

    /// The file's path.
    public var path: String { mapping.path }

    /// Largest header accepted: real headers are well under a megabyte even for 8B models.
    static let maximumHeaderBytes = 100 << 20

    /// dtype names and the formats they are stored in.
    static let dtypes: [String: TensorFormat] = [
        "F32": .f32, "F16": .f16, "BF16": .bf16, "F64": .f64, "F8_E4M3": .f8e4m3,
        "I8": .i8, "I16": .i16, "I32": .i32, "I64": .i64, "U8": .i8, "BOOL": .i8,
    ]

    /// Opens and validates the safetensors file at `path`.
    public convenience init(path: String) throws {
        try self.init(mapping: MappedFile(path: path))
    }

    /// Validates a mapped safetensors file.
    public init(mapping: MappedFile) throws {
        self.mapping = mapping
        let path = mapping.path
        guard mapping.count >= 8 else { throw SafetensorsError.tooShort(path: path, size: mapping.count) }
        let headerLength = UInt64(littleEndian: mapping.base.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(min(mapping.count - 8, SafetensorsFile.maximumHeaderBytes)) else {
            throw SafetensorsError.badHeaderLength(path: path, length: headerLength, fileSize: mapping.count)
        }
        let headerData = Data(bytes: mapping.base + 8, count: Int(headerLength))
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: headerData)
        } catch {
            throw SafetensorsError.badHeader(path: path, reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let entries = json as? [String: Any] else {
            throw SafetensorsError.badHeader(path: path, reason: "not a JSON object")
        }
        let dataStart = 8 + Int(headerLength)
        let dataSize = mapping.count - dataStart
        var metadata: [String: String] = [:]
        var infos: [(info: SafetensorsTensorInfo, begin: Int, end: Int)] = []
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else {
                    throw SafetensorsError.badHeader(path: path, reason: "__metadata__ is not a map of strings")
                }
                metadata = strings
                continue
            }
            guard let entry = value as? [String: Any] else {
                throw SafetensorsError.badTensorEntry(path: path, tensor: name, reason: "the entry is not an object")
            }
            guard let dtype = entry["dtype"] as? String else {
                throw SafetensorsError.badTensorEntry(path: path, tensor: name, reason: "no dtype")
            }
            guard let format = SafetensorsFile.dtypes[dtype] else {
                throw SafetensorsError.unsupportedDType(path: path, tensor: name, dtype: dtype)
            }
            guard let shapeValues = entry["shape"] as? [NSNumber],
                  let offsets = entry["data_offsets"] as? [NSNumber], offsets.count == 2
            else {
                throw SafetensorsError.badTensorEntry(path: path, tensor: name, reason: "shape or data_offsets missing or malformed")
            }
            let shape = shapeValues.map(\.intValue)
            guard shape.allSatisfy({ $0 >= 0 && $0 < 1 << 40 }) else {
                throw SafetensorsError.badTensorEntry(path: path, tensor: name, reason: "shape \(shape) has an impossible dimension")
            }
            let begin = offsets[0].intValue, end = offsets[1].intValue
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw SafetensorsError.outOfBounds(path: path, tensor: name, begin: begin, end: end, dataSize: dataSize)
            }
            var bytes = format.blockBytes
            for d in shape {
                let (product, overflow) = bytes.multipliedReportingOverflow(by: d)
                guard !overflow else {
                    throw SafetensorsError.badTensorEntry(path: path, tensor: name, reason: "shape \(shape) overflows")
                }
                bytes = product
            }
            guard bytes == end - begin else {
                throw SafetensorsError.sizeMismatch(path: path, tensor: name, shape: shape, dtype: dtype, bytes: end - begin)
            }
            let info = SafetensorsTensorInfo(name: name, shape: shape, format: format, dtype: dtype,
                                             fileOffset: dataStart + begin, byteCount: end - begin)
            infos.append((info, begin, end))
        }
        infos.sort { $0.begin < $1.begin || ($0.begin == $1.begin && $0.end < $1.end) }
        for (a, b) in zip(infos, infos.dropFirst()) where b.begin < a.end {
            throw SafetensorsError.overlapping(path: path, first: a.info.name, second: b.info.name)
        }
        self.metadata = metadata
        tensors = infos.map(\.info)
        index = Dictionary(uniqueKeysWithValues: tensors.enumerated().map { ($1.name, $0) })
    }

    /// The info of the tensor named `name`, if present.
    public func tensorInfo(_ name: String) -> SafetensorsTensorInfo? {
        index[name].map { tensors[$0] }
    }

    /// The bytes of a tensor, pointing into the mapping.
    public func data(of tensor: SafetensorsTensorInfo) -> UnsafeRawPointer {
        mapping.base + tensor.fileOffset
    }
}
