import Foundation
import NIOCore
import NIOHTTP1

/// An error answered in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, with
/// the HTTP status OpenAI uses for it.
public struct APIError: Error, CustomStringConvertible, Sendable {
    /// The HTTP status.
    public var status: HTTPResponseStatus
    /// What went wrong and what to do about it.
    public var message: String
    /// OpenAI's error type: `invalid_request_error`, `authentication_error`, `rate_limit_error`, ...
    public var type: String
    /// The request field at fault, if one is.
    public var param: String?
    /// A machine-readable code, if there is one (`context_length_exceeded`, `invalid_api_key`, ...).
    public var code: String?
    /// Extra response headers (`Retry-After`).
    var headers: HTTPHeaders = [:]

    /// An error with every part given.
    public init(status: HTTPResponseStatus, message: String, type: String, param: String? = nil, code: String? = nil) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
    }

    public var description: String { "\(status.code) \(type): \(message)" }

    /// A request the server cannot act on (400).
    public static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil) -> APIError {
        APIError(status: .badRequest, message: message, type: "invalid_request_error", param: param, code: code)
    }

    /// A missing or wrong API key (401).
    public static let invalidAPIKey = APIError(
        status: .unauthorized, message: "Incorrect or missing API key: send the header 'Authorization: Bearer KEY' with the key the server was started with (--api-key)",
        type: "authentication_error", code: "invalid_api_key")

    /// No such route (404).
    public static func notFound(_ method: String, _ path: String) -> APIError {
        APIError(status: .notFound, message: "No endpoint \(method) \(path); see GET /v1/models, POST /v1/chat/completions, POST /v1/completions, POST /tokenize, POST /detokenize, GET /health, GET /metrics",
                 type: "invalid_request_error", code: "not_found")
    }

    /// The queue is full (429); the client should retry after `retryAfter` seconds.
    public static func queueFull(limit: Int, retryAfter: Int) -> APIError {
        var error = APIError(status: .tooManyRequests, message: "The server is busy: \(limit) requests are already waiting; retry after \(retryAfter) s",
                             type: "rate_limit_error", code: "queue_full")
        error.headers.add(name: "retry-after", value: "\(retryAfter)")
        return error
    }

    /// The body is larger than the server accepts (413).
    public static func bodyTooLarge(limit: Int) -> APIError {
        APIError(status: .payloadTooLarge, message: "The request body is larger than \(limit) bytes", type: "invalid_request_error", code: "body_too_large")
    }

    /// The server is shutting down (503).
    public static let shuttingDown = APIError(
        status: .serviceUnavailable, message: "The server is shutting down; retry on another server", type: "server_error", code: "shutting_down")

    /// An unexpected failure (500).
    public static func internalError(_ message: String) -> APIError {
        APIError(status: .internalServerError, message: message, type: "server_error")
    }

    /// The JSON body, `{"error": {...}}`.
    public var body: Data {
        let payload = ErrorPayload(error: .init(message: message, type: type, param: param, code: code))
        return (try? JSONEncoder().encode(payload)) ?? Data(#"{"error":{"message":"unencodable error","type":"server_error","param":null,"code":null}}"#.utf8)
    }

    /// The HTTP response.
    var response: ServerResponse {
        var fields = headers
        fields.replaceOrAdd(name: "content-type", value: "application/json")
        return ServerResponse(status: status, headers: fields, body: .buffer(ByteBuffer(bytes: body)))
    }

    /// No such method on an existing path (405).
    static func methodNotAllowed(_ method: String, _ path: String, allowed: [String]) -> APIError {
        var error = APIError(status: .methodNotAllowed, message: "\(path) does not take \(method); use \(allowed.joined(separator: ", "))",
                             type: "invalid_request_error", code: "method_not_allowed")
        error.headers.add(name: "allow", value: allowed.joined(separator: ", "))
        return error
    }
}

/// The wire shape of an error.
private struct ErrorPayload: Encodable {
    struct Detail: Encodable {
        var message: String
        var type: String
        var param: String?
        var code: String?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(message, forKey: .message)
            try c.encode(type, forKey: .type)
            try c.encode(param, forKey: .param)
            try c.encode(code, forKey: .code)
        }

        enum CodingKeys: String, CodingKey { case message, type, param, code }
    }

    var error: Detail
}
