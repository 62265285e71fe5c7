import Foundation
import TensorNumerics

/// Rewrites a GGUF file with its weight matrices in another format, as
/// `llama-quantize --allow-requantize` does for the plain formats: every tensor named `*.weight` with
/// two or more dimensions is dequantized to f32 and quantized again; vectors and metadata are copied.
public enum GGUFRequantizer {
    /// Formats a file can be requantized to: those with a reference quantizer.
    public static var targets: Set<TensorFormat> { Quantize.supportedFormats }

    /// Writes `source` with its matrices in `format` to `output`.
    public static func requantize(_ source: GGUFFile, to format: TensorFormat, output: URL) throws {
        guard targets.contains(format) else { throw RequantizeError.unsupportedTarget(format) }
        var writer = GGUFWriter()
        writer.alignment = source.alignment
        for key in source.metadataKeys where key != "general.alignment" {
            writer.set(key, source.metadata[key]!)
        }
        writer.set("general.file_type", .uint32(format.llamaFileType))
        for info in source.tensors {
            let isMatrix = info.name.hasSuffix(".weight") && info.shape.count >= 2
            guard isMatrix, info.format != format else {
                writer.add(GGUFWriter.Tensor(name: info.name, shape: info.shape, format: info.format,
                                             data: Data(bytes: source.data(of: info), count: info.byteCount)))
                continue
            }
            guard Quantize.check(format, count: info.columns) == nil, let rowBytes = format.rowBytes(info.columns) else {
                throw RequantizeError.rowNotWholeBlocks(tensor: info.name, columns: info.columns, format: format)
            }
            let matrix = try WeightMatrix(format: info.format, rows: info.rows, columns: info.columns, base: source.data(of: info))
            var data = Data(count: rowBytes * info.rows)
            var row = [Float](repeating: 0, count: info.columns)
            data.withUnsafeMutableBytes { out in
                row.withUnsafeMutableBufferPointer { row in
                    for r in 0..<info.rows {
                        matrix.dequantizeRow(r, into: row.baseAddress!)
                        Quantize.row(row.baseAddress!, count: info.columns, to: format, into: out.baseAddress! + r * rowBytes)
                    }
                }
            }
            writer.add(GGUFWriter.Tensor(name: info.name, shape: info.shape, format: format, data: data))
        }
        try writer.write(to: output)
    }
}

/// Why a file could not be requantized.
public enum RequantizeError: Error, CustomStringConvertible {
    case unsupportedTarget(TensorFormat)
    case rowNotWholeBlocks(tensor: String, columns: Int, format: TensorFormat)

    public var description: String {
        switch self {
        case .unsupportedTarget(let format):
            "cannot requantize to \(format); targets: \(GGUFRequantizer.targets.map(\.description).sorted().joined(separator: ", "))"
        case .rowNotWholeBlocks(let tensor, let columns, let format):
            "tensor '\(tensor)' has rows of \(columns) values, not a whole number of \(format) blocks"
        }
    }
}
