import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension OpenAICompatibleBackend {
    /// The model names a server lists at `GET /v1/models`, so a caller can send the right `model`
    /// field without being told it (vLLM rejects any other; llama.cpp's server ignores it).
    public static func servedModels(at endpoint: URL, timeout: TimeInterval = 30) async throws -> [String] {
        let url = endpoint.appendingPathComponent("v1/models")
        let request = URLRequest(url: url, timeoutInterval: timeout)
        let (data, status): (Data, Int) = try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: BackendError.http(endpoint: url.absoluteString, status: nil, message: error.localizedDescription))
                } else {
                    continuation.resume(returning: (data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0))
                }
            }.resume()
        }
        guard status == 200 else {
            throw BackendError.http(endpoint: url.absoluteString, status: status, message: String(decoding: data.prefix(300), as: UTF8.self))
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = object["data"] as? [[String: Any]] else {
            throw BackendError.malformedResponse(endpoint: url.absoluteString, detail: String(decoding: data.prefix(300), as: UTF8.self))
        }
        return list.compactMap { $0["id"] as? String }
    }
}
