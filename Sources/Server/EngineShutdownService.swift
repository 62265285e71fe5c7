import LLM
import ServiceLifecycle

/// Drains the engine on graceful shutdown (SIGINT/SIGTERM): new requests are refused (503),
/// in-flight ones get the grace period to finish and are then cancelled. It shuts down before the
/// HTTP server (services stop in reverse order), so the answers still reach their clients.
struct EngineShutdownService: Service {
    let engine: BatchEngine
    let gracePeriod: Duration

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            await engine.shutdown(cancelInFlight: true)
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await engine.shutdown(cancelInFlight: false) }
            group.addTask { [gracePeriod] in
                try? await Task.sleep(for: gracePeriod)
                await engine.shutdown(cancelInFlight: true)
            }
            await group.next()
            group.cancelAll()
        }
    }
}
