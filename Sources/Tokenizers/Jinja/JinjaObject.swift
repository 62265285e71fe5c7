/// A Python `dict`: a dictionary that remembers insertion order.
///
/// Keys are strings, as in JSON and almost every template; integer keys (`{0: 'a', 4096: 'b'}` in a
/// template) are kept as integers internally so that `dictsort` and comparisons see numbers, and are
/// presented as their decimal text through the `String` API.
public struct JinjaObject: Sendable, Equatable, Sequence {
    /// A dictionary key: the hashable Python values templates use as keys (`True` is the key `1`, as in Python).
    enum Key: Hashable, Sendable {
        case string(String)
        case int(Int)

        init?(_ value: JinjaValue) {
            switch value {
            case let .string(s), let .markup(s): self = .string(s)
            case let .int(i): self = .int(i)
            case let .bool(b): self = .int(b ? 1 : 0)
            case let .double(d) where d == d.rounded() && abs(d) < 9e18: self = .int(Int(d))
            default: return nil
            }
        }

        var value: JinjaValue {
            switch self {
            case let .string(s): return .string(s)
            case let .int(i): return .int(i)
            }
        }

        var text: String {
            switch self {
            case let .string(s): return s
            case let .int(i): return String(i)
            }
        }
    }

    private(set) var order: [Key] = []
    private var storage: [Key: JinjaValue] = [:]

    /// An empty dictionary.
    public init() {}

    /// A dictionary with `pairs` in order; a repeated key keeps its first position and last value, as in Python.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JinjaValue) {
        for (k, v) in pairs { self[k] = v }
    }

    /// The keys in insertion order (integer keys as decimal text).
    public var keys: [String] { order.map(\.text) }
    /// The keys in insertion order as template values.
    var keyValues: [JinjaValue] { order.map(\.value) }
    /// The number of entries.
    public var count: Int { order.count }
    /// Whether there are no entries.
    public var isEmpty: Bool { order.isEmpty }
    /// The values in key order.
    public var values: [JinjaValue] { order.map { storage[$0]! } }
    /// `(key, value)` pairs in order, keys as template values (what `dict.items()` yields).
    var pairs: [(JinjaValue, JinjaValue)] { order.map { ($0.value, storage[$0]!) } }

    /// The value for a string `key`; setting `nil` removes the key.
    public subscript(key: String) -> JinjaValue? {
        get { storage[.string(key)] }
        set { self[Key.string(key)] = newValue }
    }

    subscript(key: Key) -> JinjaValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { order.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                order.removeAll { $0 == key }
            }
        }
    }

    /// Python's `d[key]` for any key value; nil when absent or unhashable.
    func lookup(_ key: JinjaValue) -> JinjaValue? {
        guard let k = Key(key) else { return nil }
        return storage[k]
    }

    /// Iterates `(key, value)` pairs in insertion order.
    public func makeIterator() -> AnyIterator<(key: String, value: JinjaValue)> {
        var index = 0
        let order = self.order, storage = self.storage
        return AnyIterator {
            guard index < order.count else { return nil }
            defer { index += 1 }
            return (order[index].text, storage[order[index]]!)
        }
    }

    /// Python dict equality: same keys and values, regardless of order.
    public static func == (lhs: JinjaObject, rhs: JinjaObject) -> Bool {
        lhs.storage == rhs.storage
    }
}
