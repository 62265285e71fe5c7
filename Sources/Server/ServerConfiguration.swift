/// How the server listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// The address to bind (loopback by default: opening the model to a network is a choice).
    public var host: String
    /// The port; 0 lets the system choose one (reported to `onRunning`).
    public var port: Int
    /// With a key, every endpoint but `/health` needs `Authorization: Bearer KEY`.
    public var apiKey: String?
    /// The model id `/v1/models` lists and responses name (default: the model file's name without `.gguf`).
    public var modelID: String?
    /// Request bodies larger than this are refused with 413.
    public var maxBodyBytes: Int
    /// What a 429's `Retry-After` says, in seconds.
    public var retryAfterSeconds: Int
    /// On SIGINT/SIGTERM, in-flight requests get this long to finish before they are cancelled.
    public var shutdownGracePeriod: Duration

    /// A configuration; the defaults serve on 127.0.0.1:8080 without a key.
    public init(host: String = "127.0.0.1", port: Int = 8080, apiKey: String? = nil, modelID: String? = nil,
                maxBodyBytes: Int = 4 << 20, retryAfterSeconds: Int = 1, shutdownGracePeriod: Duration = .seconds(10)) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.modelID = modelID
        self.maxBodyBytes = maxBodyBytes
        self.retryAfterSeconds = retryAfterSeconds
        self.shutdownGracePeriod = shutdownGracePeriod
    }
}
