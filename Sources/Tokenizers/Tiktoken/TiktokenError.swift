/// A `tokenizer.model` that is not Meta's tiktoken format, naming the file and what is wrong.
public enum TiktokenError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String)
    case badLine(path: String, line: Int, text: String)
    case duplicateRank(path: String, rank: Int, line: Int)
    case missingRank(path: String, rank: Int)
    case duplicateToken(path: String, rank: Int)
    case missingByte(path: String, byte: UInt8)

    public var description: String {
        switch self {
        case .unreadable(let path):
            "\(path) is not a tiktoken tokenizer.model (it is empty, unreadable or not UTF-8 text; a SentencePiece model is not supported)"
        case .badLine(let path, let line, let text):
            "\(path):\(line): expected 'BASE64 RANK', found '\(text)'"
        case .duplicateRank(let path, let rank, let line):
            "\(path):\(line): rank \(rank) appears twice"
        case .missingRank(let path, let rank):
            "\(path): rank \(rank) is missing; ranks must run from 0 without gaps"
        case .duplicateToken(let path, let rank):
            "\(path): the token of rank \(rank) appears under an earlier rank too"
        case .missingByte(let path, let byte):
            "\(path): no token for the single byte \(byte); byte-level BPE needs all 256"
        }
    }
}
