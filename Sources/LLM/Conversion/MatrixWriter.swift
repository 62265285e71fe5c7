import Foundation
import ModelFiles
import TensorNumerics

/// Turns checkpoint matrices into GGUF tensors whose bytes are computed only when the file is
/// written: each is quantized row by row on the thread pool, then the checkpoint pages it read are
/// dropped, so a conversion holds one tensor in memory.
struct MatrixWriter {
    let checkpoint: SafetensorsCheckpoint
    let target: TensorFormat
    let pool: ThreadPool

    /// The GGUF tensor `name` for `matrix` in the format `LlamaGGUFConverter.matrixFormat` picks,
    /// applying FP8 output scales and, for Q and K (`ropeHeads`), moving each head's rows from
    /// Hugging Face's halves pairing (i, i + d/2) to GGUF's adjacent pairing (2i, 2i + 1), as
    /// llama.cpp's converter permutes them.
    func tensor(_ name: String, _ matrix: WeightMatrix, scale: [Float]? = nil, ropeHeads: Int? = nil,
                isOutput: Bool = false) throws -> GGUFWriter.Tensor {
        let format = LlamaGGUFConverter.matrixFormat(target, columns: matrix.columns, isOutput: isOutput)
        guard Quantize.check(format, count: matrix.columns) == nil, let rowBytes = format.rowBytes(matrix.columns) else {
            throw RequantizeError.rowNotWholeBlocks(tensor: name, columns: matrix.columns, format: format)
        }
        let checkpoint = checkpoint, pool = pool
        return GGUFWriter.Tensor(name: name, shape: [matrix.columns, matrix.rows], format: format,
                                 byteCount: rowBytes * matrix.rows) {
            let data = Self.quantize(matrix, scale: scale, ropeHeads: ropeHeads, format: format, rowBytes: rowBytes, pool: pool)
            checkpoint.dropResidentPages(UnsafeRawBufferPointer(start: matrix.base, count: matrix.rowBytes * matrix.rows))
            return data
        }
    }

    private static func quantize(_ matrix: WeightMatrix, scale: [Float]?, ropeHeads: Int?, format: TensorFormat,
                                 rowBytes: Int, pool: ThreadPool) -> Data {
        let headSize = ropeHeads.map { matrix.rows / $0 } ?? 0
        var data = Data(count: rowBytes * matrix.rows)
        data.withUnsafeMutableBytes { out in
            let out = out.baseAddress!
            pool.parallelFor(matrix.rows, granularity: 16) { rows in
                var row = [Float](repeating: 0, count: matrix.columns)
                row.withUnsafeMutableBufferPointer { row in
                    for r in rows {
                        var source = r
                        if ropeHeads != nil {
                            let head = r / headSize, j = r % headSize
                            source = head * headSize + (j % 2) * (headSize / 2) + j / 2
                        }
                        matrix.dequantizeRow(source, into: row.baseAddress!)
                        if let scale {
                            let s = scale.count == 1 ? scale[0] : scale[source]
                            for i in 0..<matrix.columns { row[i] *= s }
                        }
                        Quantize.row(row.baseAddress!, count: matrix.columns, to: format, into: out + r * rowBytes)
                    }
                }
            }
        }
        return data
    }
}
