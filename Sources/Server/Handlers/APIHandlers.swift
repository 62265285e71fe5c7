import Foundation
import LLM
import NIOCore
import Tokenizers

/// What every handler needs: the engine, the model, the configuration and the counters.
struct APIHandlers: Sendable {
    let engine: BatchEngine
    let configuration: ServerConfiguration
    let metrics: ServerMetrics
    /// The id responses name.
    let modelID: String
    /// Positions one sequence may hold.
    let contextLimit: Int
    /// Sampling for fields a request leaves out: the model's recommendation, else llama.cpp's.
    let baseSampling: SamplingParameters

    var model: LanguageModel { engine.languageModel }

    /// Decodes a JSON body, answering 400 for malformed JSON or a field of the wrong type (naming it).
    func decode<T: Decodable>(_ type: T.Type, from request: ServerRequest) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(request.body.readableBytesView))
        } catch let error as APIError {
            throw error
        } catch let error as DecodingError {
            throw APIError(decoding: error)
        }
    }

    /// The text of a token for logprobs (special tokens spelled out; a partial UTF-8 sequence
    /// decodes lossily, `bytes` keeps it exact).
    func tokenText(_ id: Int32) -> (text: String, bytes: [UInt8]) {
        let bytes = model.tokenizer.bytes(of: id, special: true)
        return (String(decoding: bytes, as: UTF8.self), bytes)
    }

    /// A fresh response id with `prefix`.
    static func responseID(_ prefix: String) -> String {
        prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
    }

    /// Seconds since 1970, as OpenAI's `created`.
    static var now: Int { Int(Date().timeIntervalSince1970) }
}

extension APIError {
    /// A 400 that names the field a body's JSON got wrong.
    init(decoding error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { path, key in
                if let index = key.intValue { return path + "[\(index)]" }
                return path.isEmpty ? key.stringValue : path + "." + key.stringValue
            }
        }
        switch error {
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            self = .invalidRequest("\(field.isEmpty ? "The body" : "'\(field)'") has the wrong type: expected \(Self.jsonName(type)). \(context.debugDescription)",
                                   param: field.isEmpty ? nil : field)
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            self = .invalidRequest("'\(field)' must not be null: expected \(Self.jsonName(type))", param: field)
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            self = .invalidRequest("Missing required field '\(field)'", param: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if field.isEmpty {
                self = .invalidRequest("The body is not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)")
            } else {
                self = .invalidRequest("'\(field)' has an unusable value: \(context.debugDescription)", param: field)
            }
        @unknown default:
            self = .invalidRequest("The body could not be read: \(error)")
        }
    }

    private static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int32.Type, is Int64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        default: "\(type)"
        }
    }
}
