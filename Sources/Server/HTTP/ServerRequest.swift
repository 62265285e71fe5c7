import NIOCore
import NIOHTTP1

/// One HTTP request, its body read in full (bounded by the configured size).
struct ServerRequest: Sendable {
    /// GET, POST, ...
    var method: HTTPMethod
    /// The path without the query.
    var path: String
    /// The headers.
    var headers: HTTPHeaders
    /// The body.
    var body: ByteBuffer
    /// Tells the handler that the client went away.
    var disconnect: DisconnectWatch

    init(method: HTTPMethod, path: String, headers: HTTPHeaders, body: ByteBuffer, disconnect: DisconnectWatch) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.disconnect = disconnect
    }
}
