import Foundation
import NIOCore
import LLM

extension APIHandlers {
    private struct ModelList: Encodable {
        struct Model: Encodable {
            var id: String
            var object = "model"
            var created: Int
            var ownedBy = "biomed-r1"
            var maxModelLen: Int
            private enum CodingKeys: String, CodingKey { case id, object, created, ownedBy = "owned_by", maxModelLen = "max_model_len" }
        }

        var object = "list"
        var data: [Model]
    }

    private struct Tokens: Encodable {
        var tokens: [Int32]
        var count: Int
        var maxModelLen: Int
        private enum CodingKeys: String, CodingKey { case tokens, count, maxModelLen = "max_model_len" }
    }

    private struct Text: Encodable {
        /// llama.cpp's name for it.
        var content: String
        /// vLLM's.
        var prompt: String
    }

    /// `GET /v1/models`: the one model served.
    func models(_ request: ServerRequest) throws -> ServerResponse {
        let created = Int((try? FileManager.default.attributesOfItem(atPath: model.path)[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
        return try ServerResponse.json(ModelList(data: [.init(id: modelID, created: created, maxModelLen: contextLimit)]))
    }

    /// `GET /health`: 200 once the model is loaded (it is before the server listens).
    func health(_ request: ServerRequest) throws -> ServerResponse {
        try ServerResponse.json(["status": "ok"])
    }

    /// `GET /metrics`: Prometheus text.
    func prometheusMetrics(_ request: ServerRequest) -> ServerResponse {
        let text = metrics.prometheusText(engine: engine.metrics, model: modelID)
        return .text(text, contentType: "text/plain; version=0.0.4; charset=utf-8")
    }

    /// `POST /tokenize`.
    func tokenize(_ request: ServerRequest) throws -> ServerResponse {
        let body = try decode(TokenizeRequest.self, from: request)
        let ids: [Int32]
        if let messages = body.messages {
            ids = model.encodePrompt(try renderPrompt(messages, continuingFinalMessage: messages.last?.role == "assistant"))
        } else {
            let text = body.text ?? ""
            ids = body.addSpecial ? model.encodePrompt(text) : model.tokenizer.encode(text, addSpecial: false, parseSpecial: true)
        }
        return try ServerResponse.json(Tokens(tokens: ids, count: ids.count, maxModelLen: contextLimit))
    }

    /// `POST /detokenize`.
    func detokenize(_ request: ServerRequest) throws -> ServerResponse {
        let body = try decode(DetokenizeRequest.self, from: request)
        let size = model.tokenizer.vocabularySize
        if let bad = body.tokens.firstIndex(where: { $0 < 0 || Int($0) >= size }) {
            throw APIError.invalidRequest("tokens[\(bad)] = \(body.tokens[bad]) is outside the vocabulary of \(size) tokens", param: "tokens[\(bad)]")
        }
        let text = model.tokenizer.decode(body.tokens, special: true)
        return try ServerResponse.json(Text(content: text, prompt: text))
    }
}
