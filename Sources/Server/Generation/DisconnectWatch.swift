import Foundation
import NIOCore

/// Tells the request a connection is answering that its client went away, so the work is
/// cancelled and its engine slots freed at once instead of when the answer would have been written.
/// One per connection (requests on a connection are answered one at a time): it holds the current
/// request's cancel action only, so a long keep-alive connection accumulates nothing.
final class DisconnectWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var onClose: (@Sendable () -> Void)?
    private var closed = false

    /// Watches `channel` (connections do not allow half-closure, so a client that shuts its side
    /// closes the channel even while no request is being read).
    init(channel: any Channel) {
        channel.closeFuture.whenComplete { [weak self] _ in self?.fire() }
    }

    /// Calls `cancel` when the connection closes (at once if it already has), until `clear()`.
    func onClose(_ cancel: @escaping @Sendable () -> Void) {
        let fireNow = lock.withLock { () -> Bool in
            if closed { return true }
            onClose = cancel
            return false
        }
        if fireNow { cancel() }
    }

    /// Forgets the current request's cancel action (its answer is written).
    func clear() {
        lock.withLock { onClose = nil }
    }

    private func fire() {
        let cancel = lock.withLock { () -> (@Sendable () -> Void)? in
            closed = true
            defer { onClose = nil }
            return onClose
        }
        cancel?()
    }

    /// Runs `body` in a task cancelled when the connection closes or the caller is cancelled.
    func cancellingOnClose<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        onClose { task.cancel() }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
