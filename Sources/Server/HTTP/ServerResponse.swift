import NIOCore
import NIOHTTP1

/// An HTTP response: a whole body, or a stream of body parts (server-sent events).
struct ServerResponse: Sendable {
    /// A response body.
    enum Body: Sendable {
        case buffer(ByteBuffer)
        /// Parts written as they come (chunked); `cancel` stops their producer when the client
        /// cannot take them any more.
        case stream(AsyncStream<ByteBuffer>, cancel: @Sendable () -> Void)
    }

    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: Body

    /// A JSON response of `value`.
    static func json(_ value: some Encodable, status: HTTPResponseStatus = .ok) throws -> ServerResponse {
        let data = try ServerSentEvents.encoder.encode(value)
        return ServerResponse(status: status, headers: ["content-type": "application/json"], body: .buffer(ByteBuffer(bytes: data)))
    }

    /// A plain-text response.
    static func text(_ text: String, contentType: String) -> ServerResponse {
        ServerResponse(status: .ok, headers: ["content-type": contentType], body: .buffer(ByteBuffer(string: text)))
    }
}
