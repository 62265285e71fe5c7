import TensorNumerics

extension TensorFormat {
    /// llama.cpp's `general.file_type` (`llama_ftype`) for a file whose matrices are mostly in this
    /// format; 0 (all f32) for formats without one. Q4_K is `MOSTLY_Q4_K_M` (15), the mixture `convert`
    /// and llama-quantize's usual Q4_K files are.
    public var llamaFileType: UInt32 {
        switch self {
        case .f32: 0
        case .f16: 1
        case .q4_0: 2
        case .q4_1: 3
        case .q8_0: 7
        case .q5_0: 8
        case .q5_1: 9
        case .q4_K: 15
        case .bf16: 32
        default: 0
        }
    }
}
