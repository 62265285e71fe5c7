/// The ids a vocabulary gives its special tokens; nil where it has none.
public struct SpecialTokenIDs: Sendable, Equatable {
    /// Beginning of sequence.
    public var bos: Int32?
    /// End of sequence.
    public var eos: Int32?
    /// End of turn (`<|eot_id|>`, `<|im_end|>`); found by its text when nil.
    public var eot: Int32?
    /// End of message (`<|eom_id|>`); found by its text when nil.
    public var eom: Int32?
    /// Unknown token.
    public var unknown: Int32?
    /// Padding.
    public var padding: Int32?
    /// Fill-in-the-middle padding (`<|fim_pad|>`), which ends generation; found by its text when nil.
    public var fimPad: Int32?
    /// Fill-in-the-middle repository name (`<|repo_name|>`, `<reponame>`), which ends generation;
    /// found by its text when nil.
    public var fimRepo: Int32?
    /// Fill-in-the-middle file separator (`<|file_sep|>`), which ends generation; found by its
    /// text when nil.
    public var fimSeparator: Int32?

    /// Special token ids; every one defaults to none.
    public init(
        bos: Int32? = nil, eos: Int32? = nil, eot: Int32? = nil, eom: Int32? = nil,
        unknown: Int32? = nil, padding: Int32? = nil,
        fimPad: Int32? = nil, fimRepo: Int32? = nil, fimSeparator: Int32? = nil
    ) {
        self.bos = bos
        self.eos = eos
        self.eot = eot
        self.eom = eom
        self.unknown = unknown
        self.padding = padding
        self.fimPad = fimPad
        self.fimRepo = fimRepo
        self.fimSeparator = fimSeparator
    }
}
