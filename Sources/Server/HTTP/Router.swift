import NIOHTTP1

/// Routes requests by method and path, checks the API key, and turns every failure into an
/// OpenAI-shaped error response (404/405 for unknown routes, 500 for the unexpected).
struct Router: Sendable {
    typealias Handler = @Sendable (ServerRequest) async throws -> ServerResponse

    private var routes: [String: [String: Handler]] = [:]
    private let apiKey: APIKeyCheck?
    private let metrics: ServerMetrics

    init(apiKey: String?, metrics: ServerMetrics) {
        self.apiKey = apiKey.map(APIKeyCheck.init)
        self.metrics = metrics
    }

    /// Adds `handler` for `method path`.
    mutating func add(_ method: HTTPMethod, _ path: String, _ handler: @escaping Handler) {
        routes[path, default: [:]][method.rawValue] = handler
    }

    /// The response to `request`; never throws.
    func respond(to request: ServerRequest) async -> ServerResponse {
        let response: ServerResponse
        do {
            response = try await route(request)
        } catch let error as APIError {
            response = error.response
        } catch is CancellationError {
            response = APIError(status: .internalServerError, message: "The request was cancelled", type: "server_error").response
        } catch {
            response = APIError.internalError("\(error)").response
        }
        metrics.recordResponse(status: Int(response.status.code))
        return response
    }

    private func route(_ request: ServerRequest) async throws -> ServerResponse {
        try apiKey?.check(request)
        guard let handlers = routes[request.path] else {
            throw APIError.notFound(request.method.rawValue, request.path)
        }
        guard let handler = handlers[request.method.rawValue] else {
            throw APIError.methodNotAllowed(request.method.rawValue, request.path, allowed: handlers.keys.sorted())
        }
        metrics.recordRequest(endpoint: request.path)
        return try await handler(request)
    }
}
