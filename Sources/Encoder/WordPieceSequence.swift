import Tokenizers

/// The model input of one sequence: token ids and their segments.
public typealias WordPieceSequence = WordPieceEncoding
