import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MedQA

/// Any OpenAI-compatible server (vLLM, SGLang, llama.cpp's server, `biomed-r1 serve`), one or several.
///
/// In `completions` mode it renders the prompt itself with the model's chat template and posts the
/// text to `/v1/completions`, so an adversarial prefill reaches every server the same way. In
/// `chatCompletions` mode it posts the messages to `/v1/chat/completions` for servers that have only
/// that; a prefill is then sent with vLLM's `continue_final_message`, which other servers may ignore.
/// Requests go round-robin over the endpoints; 429, 5xx and transport errors are retried with
/// exponential backoff, each retry on the next endpoint.
public final class OpenAICompatibleBackend: Backend, @unchecked Sendable {
    /// Which API to call.
    public enum API: String, Sendable, CaseIterable {
        /// `/v1/completions` with the rendered prompt text.
        case completions
        /// `/v1/chat/completions` with the messages.
        case chatCompletions = "chat"
    }

    /// The servers' base URLs (e.g. `http://127.0.0.1:8080`).
    public let endpoints: [URL]
    /// The `model` field sent.
    public let servedModel: String
    /// The chat template renderer (required for `completions`).
    public let renderer: PromptRenderer?
    /// The API.
    public let api: API
    /// Requests in flight at once over all endpoints.
    public let maxConcurrency: Int
    /// Seconds before a request times out.
    public let timeout: TimeInterval
    /// Retries after the first attempt.
    public let retries: Int
    /// The first backoff delay in seconds; it doubles with each retry.
    public let backoff: TimeInterval
    private let session: URLSession
    private let lock = NSLock()
    private var nextEndpoint = 0

    /// A backend. `completions` needs `renderer`.
    public init(endpoints: [URL], servedModel: String, renderer: PromptRenderer?, api: API = .completions,
                maxConcurrency: Int = 8, timeout: TimeInterval = 600, retries: Int = 4, backoff: TimeInterval = 0.5) throws {
        guard !endpoints.isEmpty else { throw EvaluationError.invalidSettings("no --endpoint given") }
        if api == .completions, renderer == nil { throw BackendError.noChatTemplate(model: servedModel) }
        self.endpoints = endpoints
        self.servedModel = servedModel
        self.renderer = renderer
        self.api = api
        self.maxConcurrency = max(1, maxConcurrency)
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpMaximumConnectionsPerHost = self.maxConcurrency
        session = URLSession(configuration: configuration)
    }

    /// The served model and the template's hash: the endpoints' addresses are not part of it, so
    /// the same model behind other servers continues the same run.
    public var modelIdentity: String { "endpoint:\(servedModel):\(api.rawValue):\(renderer?.templateHash ?? "-")" }
    /// The served model's name.
    public var modelName: String { servedModel }

    /// The index of the endpoint that a new request tries first.
    private func firstEndpoint() -> Int {
        lock.lock()
        defer { lock.unlock() }
        let index = nextEndpoint % endpoints.count
        nextEndpoint += 1
        return index
    }

    /// The JSON body for `request`.
    func body(_ request: CompletionRequest) throws -> [String: Any] {
        var body: [String: Any] = ["model": servedModel, "max_tokens": request.maxTokens, "temperature": 0, "stream": false]
        switch api {
        case .completions:
            body["prompt"] = try renderer!.render(request.prompt)
        case .chatCompletions:
            body["messages"] = request.prompt.messages.map { ["role": $0.role, "content": $0.content] }
            if request.prompt.continuesFinalMessage {
                body["continue_final_message"] = true
                body["add_generation_prompt"] = false
            }
        }
        return body
    }

    /// Completes one prompt, retrying transient failures.
    public func complete(_ request: CompletionRequest) async throws -> Completion {
        let payload = try JSONSerialization.data(withJSONObject: body(request), options: [.sortedKeys])
        let path = api == .completions ? "v1/completions" : "v1/chat/completions"
        // Retries step from this request's own first endpoint, not from the shared counter: with
        // requests interleaved, the shared counter could hand one request the same dead endpoint
        // on every attempt.
        let first = firstEndpoint()
        var attempt = 0
        while true {
            let url = endpoints[(first + attempt) % endpoints.count].appendingPathComponent(path)
            var urlRequest = URLRequest(url: url, timeoutInterval: timeout)
            urlRequest.httpMethod = "POST"
            urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
            urlRequest.httpBody = payload
            let start = Date()
            do {
                let (data, response) = try await send(urlRequest)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if status == 200 { return try parse(data, endpoint: url.absoluteString, latency: Date().timeIntervalSince(start)) }
                let message = String(decoding: data.prefix(500), as: UTF8.self)
                guard status == 429 || status >= 500, attempt < retries else {
                    throw BackendError.http(endpoint: url.absoluteString, status: status, message: message)
                }
            } catch let error as URLError {
                guard attempt < retries else {
                    throw BackendError.http(endpoint: url.absoluteString, status: nil, message: error.localizedDescription)
                }
            }
            try await Task.sleep(nanoseconds: UInt64(backoff * pow(2, Double(attempt)) * 1e9))
            attempt += 1
        }
    }

    private func send(_ request: URLRequest) async throws -> (Data, URLResponse?) {
        try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error { continuation.resume(throwing: (error as? URLError) ?? URLError(.unknown)) }
                else { continuation.resume(returning: (data ?? Data(), response)) }
            }.resume()
        }
    }

    private func parse(_ data: Data, endpoint: String, latency: Double) throws -> Completion {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let choice = (object["choices"] as? [[String: Any]])?.first else {
            throw BackendError.malformedResponse(endpoint: endpoint, detail: String(decoding: data.prefix(300), as: UTF8.self))
        }
        let text = api == .completions ? choice["text"] as? String : (choice["message"] as? [String: Any])?["content"] as? String
        guard let text else { throw BackendError.malformedResponse(endpoint: endpoint, detail: "no text in choices[0]") }
        let usage = object["usage"] as? [String: Any]
        return Completion(text: text, promptTokens: usage?["prompt_tokens"] as? Int ?? 0,
                          completionTokens: usage?["completion_tokens"] as? Int ?? 0, latency: latency)
    }
}
