/// With `--api-key`, every endpoint but `/health` needs `Authorization: Bearer KEY` (401 otherwise).
struct APIKeyCheck: Sendable {
    let key: String

    /// Throws 401 unless `request` may pass.
    func check(_ request: ServerRequest) throws {
        guard request.path != "/health" else { return }
        let header = request.headers.first(name: "authorization") ?? ""
        let prefix = "Bearer "
        guard header.hasPrefix(prefix), Self.constantTimeEqual(Array(header.utf8.dropFirst(prefix.utf8.count)), Array(key.utf8)) else {
            throw APIError.invalidAPIKey
        }
    }

    /// Compares without an early exit, so response times do not tell how much of a guess was right.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
