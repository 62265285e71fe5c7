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
    /// The client's connection: its closing tells a handler that the client went away.
    var channel: any Channel

    init(method: HTTPMethod, path: String, headers: HTTPHeaders, body: ByteBuffer, channel: any Channel) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.channel = channel
    }
}
