import NIOCore

/// Ties work to the client's connection: when it closes, the work is cancelled, so a client that
/// goes away frees its engine slots at once instead of when its answer would have been written.
enum DisconnectWatch {
    /// Calls `cancel` when `channel` closes. (Connections do not allow half-closure, so a client
    /// that shuts its side closes the channel even while no request is being read.)
    static func onClose(of channel: any Channel, _ cancel: @escaping @Sendable () -> Void) {
        channel.closeFuture.whenComplete { _ in cancel() }
    }

    /// Runs `body` in a task cancelled when the connection closes or the caller is cancelled.
    static func cancellingOnClose<T: Sendable>(
        _ channel: any Channel, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let task = Task { try await body() }
        onClose(of: channel) { task.cancel() }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
