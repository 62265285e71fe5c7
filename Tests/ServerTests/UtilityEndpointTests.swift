import Foundation
import XCTest

/// `/v1/models`, `/health`, `/metrics`, `/tokenize`, `/detokenize`, and the API key.
final class UtilityEndpointTests: XCTestCase {
    func testModelsHealthAndMetrics() async throws {
        let server = try await TestServer.shared()
        let models = try await OpenAIClient.call(server.url, "chat", ["model": "any", "messages": [["role": "user", "content": "Hi"]], "max_tokens": 2])
        XCTAssertNil(models["error_status"])
        let list = try await Curl.get(server.endpoint("v1/models")).json()
        let data = try XCTUnwrap(list["data"] as? [[String: Any]])
        XCTAssertEqual(data.first?["id"] as? String, "SmolLM2-135M-Instruct.Q4_1")
        XCTAssertEqual(data.first?["max_model_len"] as? Int, 2048)
        let health = try await Curl.get(server.endpoint("health")).json()["status"] as? String
        XCTAssertEqual(health, "ok")

        let metrics = try await Curl.get(server.endpoint("metrics"))
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(metrics.headers["content-type"]?.hasPrefix("text/plain") ?? false)
        var samples: [String: Double] = [:]
        for line in metrics.body.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            XCTAssertEqual(parts.count, 2, String(line))
            let name = parts[0].split(separator: "{").first.map(String.init) ?? ""
            samples[name, default: 0] += Double(parts[1]) ?? .nan
        }
        for name in ["biomedr1_prompt_tokens_total", "biomedr1_generation_tokens_total", "biomedr1_generation_tokens_per_second",
                     "biomedr1_requests_running", "biomedr1_requests_queued", "biomedr1_kv_cache_usage_ratio", "biomedr1_http_responses_total"] {
            XCTAssertNotNil(samples[name], "\(name) missing from\n\(metrics.body)")
        }
        XCTAssertGreaterThan(samples["biomedr1_generation_tokens_total"] ?? 0, 0)
        XCTAssertGreaterThan(samples["biomedr1_prompt_tokens_total"] ?? 0, 0)
    }

    func testTokenizeRoundTrips() async throws {
        let server = try await TestServer.shared()
        let text = "<|im_start|>user\nHello there<|im_end|>"
        // llama.cpp's shape: no BOS unless asked; special tokens in the text are recognised.
        let tokenized = try await Curl.post(server.endpoint("tokenize"), String(decoding: try JSONSerialization.data(withJSONObject: ["content": text]), as: UTF8.self))
        let ids = try XCTUnwrap(try tokenized.json()["tokens"] as? [Int])
        XCTAssertEqual(ids.first, 1)  // <|im_start|>
        let back = try await Curl.post(server.endpoint("detokenize"), "{\"tokens\": \(ids)}").json()
        XCTAssertEqual(back["content"] as? String, text)
        XCTAssertEqual(back["prompt"] as? String, text)
    }

    func testAPIKeyGuardsEverythingButHealth() async throws {
        try await TestServer.with(apiKey: "sesame") { server in
            let healthStatus = try await Curl.get(server.endpoint("health")).status
            XCTAssertEqual(healthStatus, 200)
            let missing = try await Curl.get(server.endpoint("v1/models"))
            XCTAssertEqual(missing.status, 401)
            XCTAssertEqual(try missing.error()["code"] as? String, "invalid_api_key")
            let wrongKey = try await Curl.get(server.endpoint("metrics"), headers: ["Authorization: Bearer wrong"]).status
            XCTAssertEqual(wrongKey, 401)
            let noKey = try await Curl.post(server.endpoint("v1/completions"), #"{"prompt": "x", "max_tokens": 1}"#).status
            XCTAssertEqual(noKey, 401)
            let rightKey = try await Curl.get(server.endpoint("v1/models"), headers: ["Authorization: Bearer sesame"]).status
            XCTAssertEqual(rightKey, 200)
            let denied = try await OpenAIClient.call(server.url, "chat", ["model": "any", "messages": [["role": "user", "content": "Hi"]], "max_tokens": 2])
            XCTAssertEqual(denied["error_status"] as? Int, 401)
            let allowed = try await OpenAIClient.call(server.url, "chat", ["model": "any", "messages": [["role": "user", "content": "Hi"]], "max_tokens": 2,
                                                                            "_api_key": "sesame"])
            XCTAssertNil(allowed["error_status"])
            XCTAssertFalse(try allowed.chatText().isEmpty)
        }
    }
}
