import Foundation
import ModelFiles
import Tokenizers

extension PromptRenderer {
    /// The renderer of a model's own chat template, read from its GGUF file (the template and the
    /// BOS/EOS token texts), or from a Jinja template file. An HTTP backend needs it to send
    /// `/v1/completions` the exact text the model's template gives.
    public init(templateFile url: URL) throws {
        if url.pathExtension.lowercased() == "gguf" {
            let gguf = try GGUFFile(path: url.path)
            guard let source = try gguf.string("tokenizer.chat_template") else {
                throw BackendError.noChatTemplate(model: url.lastPathComponent)
            }
            let tokenizer = try BPETokenizer(gguf: gguf)
            self.init(template: try ChatTemplate(source), bosToken: tokenizer.bosID.flatMap { tokenizer.text(of: $0) } ?? "",
                      eosToken: tokenizer.eosID.flatMap { tokenizer.text(of: $0) } ?? "")
        } else {
            self.init(template: try ChatTemplate(String(contentsOf: url, encoding: .utf8)))
        }
    }

    /// 16 hex digits of SHA-256 of the template source, for run identities.
    public var templateHash: String {
        var digest = SHA256()
        digest.update(Array(template.source.utf8))
        return String(digest.finalizeHex().prefix(16))
    }
}
