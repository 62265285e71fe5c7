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

    init(head: HTTPRequestHead, body: ByteBuffer, disconnect: DisconnectWatch) {
        method = head.method
        path = String(head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        headers = head.headers
        self.body = body
        self.disconnect = disconnect
    }
}
