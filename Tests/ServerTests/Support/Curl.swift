import Foundation
import TestSupport
import XCTest

/// An HTTP exchange made with curl, as a user or a script makes it.
struct CurlResponse {
    var status: Int
    var headers: [String: String]
    var body: String

    /// The body as a JSON object.
    func json(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(body.utf8))
        return try XCTUnwrap(value as? [String: Any], "not a JSON object: \(body)", file: file, line: line)
    }

    /// The OpenAI-shaped error of the body.
    func error(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        try XCTUnwrap(try json()["error"] as? [String: Any], "no error object in \(body)", file: file, line: line)
    }
}

enum Curl {
    static let executable = URL(fileURLWithPath: "/usr/bin/curl")

    /// `method url` with an optional body (a string, or a file for large ones), every exchange
    /// bounded by `timeout` seconds.
    static func request(_ method: String, _ url: URL, body: String? = nil, bodyFile: URL? = nil, headers: [String] = [],
                        timeout: Double = 120) async throws -> CurlResponse {
        let headerFile = FileManager.default.temporaryDirectory.appendingPathComponent("headers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: headerFile) }
        var arguments = ["-sS", "-X", method, "--max-time", "\(Int(timeout))", "-D", headerFile.path, "-w", "\n%{http_code}",
                         "-H", "Content-Type: application/json"]
        for header in headers { arguments += ["-H", header] }
        if let body { arguments += ["--data-binary", "@-"] }
        if let bodyFile { arguments += ["--data-binary", "@\(bodyFile.path)"] }
        arguments.append(url.absoluteString)
        let output = try await CommandRunner.run(executable, arguments, input: body, timeout: timeout + 10)
        guard output.status == 0 else {
            throw NSError(domain: "curl", code: Int(output.status), userInfo: [NSLocalizedDescriptionKey: "curl failed (\(output.status)): \(output.stderr)"])
        }
        var lines = output.stdout.components(separatedBy: "\n")
        let status = Int(lines.removeLast()) ?? -1
        var parsed: [String: String] = [:]
        for line in ((try? String(contentsOf: headerFile, encoding: .utf8)) ?? "").components(separatedBy: "\r\n") {
            if let colon = line.firstIndex(of: ":") {
                parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return CurlResponse(status: status, headers: parsed, body: lines.joined(separator: "\n"))
    }

    /// POST `json` to `url`.
    static func post(_ url: URL, _ json: String, headers: [String] = [], timeout: Double = 120) async throws -> CurlResponse {
        try await request("POST", url, body: json, headers: headers, timeout: timeout)
    }

    /// GET `url`.
    static func get(_ url: URL, headers: [String] = [], timeout: Double = 30) async throws -> CurlResponse {
        try await request("GET", url, headers: headers, timeout: timeout)
    }
}
