import ModelFiles
import TensorNumerics

/// The f32 tensors of a safetensors checkpoint, copied once into aligned memory the encoder owns.
///
/// Copying (and widening f16/bf16) costs a few tens of milliseconds for MiniLM and frees the
/// kernels from the file's alignment: safetensors only pads its header, not each tensor.
final class TensorStore: @unchecked Sendable {
    let file: SafetensorsFile
    private var buffers: [UnsafeMutablePointer<Float>] = []

    init(file: SafetensorsFile) {
        self.file = file
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// Whether the checkpoint holds `name`.
    func contains(_ name: String) -> Bool { file.tensorInfo(name) != nil }

    /// The values of `name`, checked against `shape` (outermost first).
    func floats(_ name: String, shape: [Int]) throws -> UnsafePointer<Float> {
        guard let info = file.tensorInfo(name) else {
            throw EncoderError.missingTensor(name: name, file: file.path)
        }
        guard info.shape == shape else { throw EncoderError.wrongShape(name: name, expected: shape, found: info.shape) }
        guard [.f32, .f16, .bf16].contains(info.format) else {
            throw EncoderError.unsupportedDType(name: name, dtype: info.dtype)
        }
        let count = info.elementCount
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        buffers.append(buffer)
        let source = file.data(of: info)
        if info.format == .f32 {
            UnsafeMutableRawPointer(buffer).copyMemory(from: source, byteCount: count * 4)
        } else {
            let matrix = try WeightMatrix(format: info.format, rows: 1, columns: count, base: source)
            matrix.dequantizeRow(0, into: buffer)
        }
        return UnsafePointer(buffer)
    }

    /// A weight matrix of `rows × columns` (a PyTorch Linear's `[out, in]`).
    func matrix(_ name: String, rows: Int, columns: Int) throws -> WeightMatrix {
        let values = try floats(name, shape: [rows, columns])
        return try WeightMatrix(format: .f32, rows: rows, columns: columns, base: UnsafeRawPointer(values))
    }
}
