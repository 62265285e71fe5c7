import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// The HTTP transport: a Hummingbird application whose one responder reads each request's body
/// (up to the size limit) and hands it to `respond`; streamed bodies go out chunked.
///
/// Hummingbird owns connections, keep-alive and graceful shutdown (it stops accepting, lets the
/// requests in flight write their answers, then returns). The routing stays in ``Router`` so that
/// every failure, unknown paths included, is answered in OpenAI's error shape.
struct HTTPServer: Service {
    typealias Responder = @Sendable (ServerRequest) async -> ServerResponse

    let host: String
    let port: Int
    let maxBodyBytes: Int
    let logger: Logger
    let respond: Responder
    let onRunning: @Sendable (Int) async -> Void

    func run() async throws {
        let application = Application(
            responder: BridgeResponder(maxBodyBytes: maxBodyBytes, respond: respond),
            server: .http1(additionalChannelHandlers: [ClientGoneHandler()]),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: "biomed-r1", backlog: 256, reuseAddress: true),
            onServerRunning: { [port, onRunning, logger, host] channel in
                let bound = channel.localAddress?.port ?? port
                logger.info("listening on http://\(host):\(bound)")
                await onRunning(bound)
            },
            logger: logger)
        try await application.run()
    }
}

/// What each request's handler sees of its connection: the channel, whose closing tells a
/// handler that the client went away (see ``DisconnectWatch``).
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Turns Hummingbird's requests into ``ServerRequest`` and ``ServerResponse`` back into its responses.
struct BridgeResponder: HTTPResponder {
    let maxBodyBytes: Int
    let respond: HTTPServer.Responder
    let watches = ConnectionWatches()

    func respond(to request: Request, context: ServerRequestContext) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            return Self.response(APIError.bodyTooLarge(limit: maxBodyBytes).response)
        }
        var headers = HTTPHeaders()
        for field in request.headers { headers.add(name: field.name.rawName, value: field.value) }
        let disconnect = watches.watch(context.channel)
        let serverRequest = ServerRequest(
            method: NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue), path: request.uri.path,
            headers: headers, body: body, disconnect: disconnect)
        let response = await respond(serverRequest)
        // A whole body is ready: the work is done. A stream's producer stops on its own when a
        // write to the gone client fails.
        if case .buffer = response.body { disconnect.clear() }
        return Self.response(response)
    }

    static func response(_ response: ServerResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        let status = HTTPResponse.Status(code: Int(response.status.code))
        switch response.body {
        case .buffer(let buffer):
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: buffer))
        case .stream(let parts, let cancel):
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                // A write fails once the client has gone; the producer then stops at once.
                defer { cancel() }
                for await part in parts { try await writer.write(part) }
                try await writer.finish(nil)
            })
        }
    }
}

/// One ``DisconnectWatch`` per open connection, made on its first request and dropped when it
/// closes: a keep-alive connection's requests share it, so nothing accumulates per request.
final class ConnectionWatches: @unchecked Sendable {
    private let lock = NSLock()
    private var watches: [ObjectIdentifier: DisconnectWatch] = [:]

    func watch(_ channel: any Channel) -> DisconnectWatch {
        let key = ObjectIdentifier(channel)
        let (watch, isNew) = lock.withLock { () -> (DisconnectWatch, Bool) in
            if let existing = watches[key] { return (existing, false) }
            let made = DisconnectWatch(channel: channel)
            watches[key] = made
            return (made, true)
        }
        if isNew {
            channel.closeFuture.whenComplete { [weak self] _ in
                guard let self else { return }
                _ = self.lock.withLock { self.watches.removeValue(forKey: key) }
            }
        }
        return watch
    }
}

/// Closes a connection as soon as its client stops sending. Hummingbird allows half-closed
/// connections, where a client's FIN only ends the input; but OpenAI clients never half-close
/// while they wait, so an ended input means the client went away, and closing the channel lets
/// its ``DisconnectWatch`` cancel the work at once.
final class ClientGoneHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}
