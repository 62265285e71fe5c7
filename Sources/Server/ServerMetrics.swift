import Foundation
import LLM

/// What the HTTP side counts (responses by status, requests by endpoint); the engine counts tokens.
/// `/metrics` shows both as Prometheus text. (A lock, not `Mutex`: the package still builds for macOS 14.)
public final class ServerMetrics: @unchecked Sendable {
    private struct Counts {
        var responses: [Int: Int] = [:]
        var requests: [String: Int] = [:]
    }

    private var counts = Counts()
    private let lock = NSLock()
    private let started = Date()

    /// Empty counters.
    public init() {}

    /// Counts a response with `status`.
    func recordResponse(status: Int) {
        lock.withLock { counts.responses[status, default: 0] += 1 }
    }

    /// Counts a request to `endpoint`.
    func recordRequest(endpoint: String) {
        lock.withLock { counts.requests[endpoint, default: 0] += 1 }
    }

    /// The Prometheus text exposition of these counters and the engine's.
    func prometheusText(engine: EngineMetrics, model: String) -> String {
        let snapshot = lock.withLock { counts }
        var text = PrometheusText()
        let label = "model=\"\(PrometheusText.escape(model))\""
        text.metric("biomedr1_prompt_tokens_total", "counter", "Prompt tokens run through the model.", [(label, Double(engine.promptTokens))])
        text.metric("biomedr1_generation_tokens_total", "counter", "Tokens generated.", [(label, Double(engine.generatedTokens))])
        text.metric("biomedr1_requests_finished_total", "counter", "Generations finished (each choice counts).", [(label, Double(engine.requestsFinished))])
        text.metric("biomedr1_engine_busy_seconds_total", "counter", "Seconds the engine spent computing.", [(label, engine.busySeconds)])
        let rate = engine.busySeconds > 0 ? Double(engine.generatedTokens) / engine.busySeconds : 0
        text.metric("biomedr1_generation_tokens_per_second", "gauge", "Generated tokens per busy second since start.", [(label, rate)])
        text.metric("biomedr1_requests_running", "gauge", "Generations holding a slot.", [(label, Double(engine.running))])
        text.metric("biomedr1_requests_queued", "gauge", "Generations waiting for a slot.", [(label, Double(engine.queued))])
        text.metric("biomedr1_slots", "gauge", "Sequences the engine runs at once.", [(label, Double(engine.slots))])
        text.metric("biomedr1_kv_cache_used_positions", "gauge", "KV-cache positions in use.", [(label, Double(engine.kvCacheUsedPositions))])
        text.metric("biomedr1_kv_cache_capacity_positions", "gauge", "KV-cache positions in all.", [(label, Double(engine.kvCacheCapacityPositions))])
        let usage = engine.kvCacheCapacityPositions > 0 ? Double(engine.kvCacheUsedPositions) / Double(engine.kvCacheCapacityPositions) : 0
        text.metric("biomedr1_kv_cache_usage_ratio", "gauge", "Share of KV-cache positions in use.", [(label, usage)])
        text.metric("biomedr1_http_requests_total", "counter", "HTTP requests by endpoint.",
                    snapshot.requests.sorted { $0.key < $1.key }.map { ("endpoint=\"\(PrometheusText.escape($0.key))\"", Double($0.value)) })
        text.metric("biomedr1_http_responses_total", "counter", "HTTP responses by status code.",
                    snapshot.responses.sorted { $0.key < $1.key }.map { ("code=\"\($0.key)\"", Double($0.value)) })
        text.metric("biomedr1_uptime_seconds", "gauge", "Seconds since the server started.", [("", Date().timeIntervalSince(started))])
        return text.output
    }
}
