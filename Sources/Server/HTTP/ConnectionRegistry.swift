import Foundation
import NIOCore

/// The open connections and whether each is answering a request, so that a graceful shutdown can
/// close the idle ones at once and the busy ones as soon as their answer is written.
final class ConnectionRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var connections: [ObjectIdentifier: (channel: any Channel, busy: Bool)] = [:]
    private var shuttingDown = false

    /// Whether a graceful shutdown began.
    var isShuttingDown: Bool { lock.withLock { shuttingDown } }

    /// Registers a connection; false (and the caller closes it) once shutdown began.
    func add(_ channel: any Channel) -> Bool {
        lock.withLock {
            guard !shuttingDown else { return false }
            connections[ObjectIdentifier(channel)] = (channel, false)
            return true
        }
    }

    func remove(_ channel: any Channel) {
        _ = lock.withLock { connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func setBusy(_ channel: any Channel, _ busy: Bool) {
        lock.withLock { connections[ObjectIdentifier(channel)]?.busy = busy }
    }

    /// Begins shutdown: idle connections close now.
    func beginShutdown() {
        let idle = lock.withLock { () -> [any Channel] in
            shuttingDown = true
            return connections.values.filter { !$0.busy }.map(\.channel)
        }
        for channel in idle { channel.close(promise: nil) }
    }
}
