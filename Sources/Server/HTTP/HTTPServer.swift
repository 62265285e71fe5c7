import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// An HTTP/1.1 server on SwiftNIO: each connection's requests are read whole (up to a size limit)
/// and answered in order by `respond`; streamed bodies go out chunked. On graceful shutdown it
/// stops accepting, closes idle connections, lets busy ones finish their answer, then returns.
struct HTTPServer: Service {
    typealias Responder = @Sendable (ServerRequest) async -> ServerResponse

    let host: String
    let port: Int
    let maxBodyBytes: Int
    let logger: Logger
    let respond: Responder
    let onRunning: @Sendable (Int) async -> Void

    /// An over-size body is still read (and dropped) up to this size, so that the client sees the
    /// 413 rather than a reset connection; past it the connection is closed.
    private var discardLimit: Int { max(maxBodyBytes * 16, 64 << 20) }

    func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        let registry = ConnectionRegistry()
        await onRunning(server.channel.localAddress?.port ?? port)
        logger.info("listening on http://\(host):\(server.channel.localAddress?.port ?? port)")
        try await withGracefulShutdownHandler {
            try await server.executeThenClose { connections in
                await withDiscardingTaskGroup { group in
                    do {
                        for try await connection in connections {
                            group.addTask { await serve(connection, registry: registry) }
                        }
                    } catch {
                        logger.debug("accept loop ended: \(error)")
                    }
                }
            }
        } onGracefulShutdown: {
            registry.beginShutdown()
            server.channel.close(promise: nil)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, registry: ConnectionRegistry) async {
        let channel = connection.channel
        guard registry.add(channel) else {
            try? await channel.close()
            return
        }
        defer { registry.remove(channel) }
        let disconnect = DisconnectWatch(channel: channel)
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                var received = 0
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        head = h
                        body.clear()
                        received = 0
                        registry.setBusy(channel, true)
                    case .body(var chunk):
                        received += chunk.readableBytes
                        if received <= maxBodyBytes {
                            body.writeBuffer(&chunk)
                        } else if received > discardLimit {
                            return
                        }
                    case .end:
                        guard let h = head else { continue }
                        let tooLarge = received > maxBodyBytes
                        let response = tooLarge
                            ? APIError.bodyTooLarge(limit: maxBodyBytes).response
                            : await respond(ServerRequest(head: h, body: body, disconnect: disconnect))
                        let keepAlive = h.isKeepAlive && !tooLarge && !registry.isShuttingDown
                        try await write(response, version: h.version, keepAlive: keepAlive, to: outbound)
                        disconnect.clear()
                        registry.setBusy(channel, false)
                        head = nil
                        if !keepAlive || registry.isShuttingDown { return }
                    }
                }
            }
        } catch {
            logger.debug("connection ended: \(error)")
        }
    }

    private func write(_ response: ServerResponse, version: HTTPVersion, keepAlive: Bool,
                       to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        var headers = response.headers
        headers.replaceOrAdd(name: "server", value: "biomed-r1")
        headers.replaceOrAdd(name: "connection", value: keepAlive ? "keep-alive" : "close")
        switch response.body {
        case .buffer(let buffer):
            headers.replaceOrAdd(name: "content-length", value: "\(buffer.readableBytes)")
            try await outbound.write(contentsOf: [
                .head(HTTPResponseHead(version: version, status: response.status, headers: headers)),
                .body(.byteBuffer(buffer)), .end(nil),
            ])
        case .stream(let parts, let cancel):
            defer { cancel() }
            headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
            try await outbound.write(.head(HTTPResponseHead(version: version, status: response.status, headers: headers)))
            for await part in parts { try await outbound.write(.body(.byteBuffer(part))) }
            try await outbound.write(.end(nil))
        }
    }
}
