import Foundation
import NIOCore

/// Server-sent events as OpenAI streams them: `data: JSON\n\n` per chunk, `data: [DONE]\n\n` last.
enum ServerSentEvents {
    /// The encoder of every JSON body the server writes.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    /// One event carrying `value` as JSON.
    static func event(_ value: some Encodable) -> ByteBuffer {
        var buffer = ByteBuffer(string: "data: ")
        buffer.writeBytes((try? encoder.encode(value)) ?? Data("null".utf8))
        buffer.writeString("\n\n")
        return buffer
    }

    /// The event that reports a failure mid-stream.
    static func error(_ error: APIError) -> ByteBuffer {
        var buffer = ByteBuffer(string: "data: ")
        buffer.writeBytes(error.body)
        buffer.writeString("\n\n")
        return buffer
    }

    /// The last event.
    static let done = ByteBuffer(string: "data: [DONE]\n\n")

    /// A streaming response whose events `produce` yields. The producer runs in its own task,
    /// cancelled when the client disconnects or a write fails, which cancels the generation.
    static func response(
        disconnect: DisconnectWatch, produce: @escaping @Sendable (AsyncStream<ByteBuffer>.Continuation) async -> Void
    ) -> ServerResponse {
        let (events, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let producer = Task {
            await produce(continuation)
            continuation.finish()
        }
        continuation.onTermination = { _ in producer.cancel() }
        disconnect.onClose { producer.cancel() }
        return ServerResponse(status: .ok, headers: ["content-type": "text/event-stream", "cache-control": "no-cache"],
                              body: .stream(events, cancel: { producer.cancel() }))
    }
}
