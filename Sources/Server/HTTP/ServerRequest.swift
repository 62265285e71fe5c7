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

    init(head: HTTPRequestHead, body: ByteBuffer, channel: any Channel) {
        method = head.method
        path = String(head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        headers = head.headers
        self.body = body
        self.channel = channel
    }
}
