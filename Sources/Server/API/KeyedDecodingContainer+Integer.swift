extension KeyedDecodingContainer {
    /// An integer field. Foundation's decoder reports `2.5` or `1e300` for an integer as malformed
    /// JSON without naming the field, so a number that is not a fitting integer is caught here.
    func decodeInteger<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(T.self, forKey: key) { return value }
        // Not a number at all: the type mismatch names the field.
        let number = try decode(Double.self, forKey: key)
        throw APIError.invalidRequest("\(key.stringValue) must be an integer between \(T.min) and \(T.max), got \(number)",
                                      param: key.stringValue)
    }
}
