import Tokenizers

/// A message of `/v1/chat/completions`: `content` is a string, a list of text parts, or null.
struct ChatRequestMessage: Decodable, Sendable {
    var role: String
    var content: String

    private enum CodingKeys: String, CodingKey { case role, content }
    private struct Part: Decodable {
        var type: String
        var text: String?
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = try c.decode(String.self, forKey: .role)
        if try !c.contains(.content) || c.decodeNil(forKey: .content) {
            content = ""
        } else if let text = try? c.decode(String.self, forKey: .content) {
            content = text
        } else {
            let parts = try c.decode([Part].self, forKey: .content)
            guard parts.allSatisfy({ $0.type == "text" && $0.text != nil }) else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: c.codingPath + [CodingKeys.content],
                    debugDescription: "only text content parts ({\"type\": \"text\", \"text\": ...}) are supported"))
            }
            content = parts.compactMap(\.text).joined()
        }
    }

    /// The template's message.
    var chatMessage: ChatMessage { ChatMessage(role: role, content: content) }
}
