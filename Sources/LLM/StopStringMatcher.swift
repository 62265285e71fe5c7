/// Finds stop strings in streamed text, holding back any tail that could still grow into one, so a
/// stop string is never shown even when it arrives split over several tokens.
public struct StopStringMatcher: Sendable {
    /// The stop strings.
    public let stops: [String]
    private var pending = ""

    /// A matcher for `stops` (empty strings are ignored).
    public init(stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }
    }

    /// Adds text; returns what can be shown now, and whether a stop string was found (then the
    /// returned text ends just before it).
    public mutating func feed(_ text: String) -> (emit: String, stopped: Bool) {
        pending += text
        guard !stops.isEmpty else {
            defer { pending = "" }
            return (pending, false)
        }
        if let range = stops.compactMap({ pending.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            let emit = String(pending[..<range.lowerBound])
            pending = ""
            return (emit, true)
        }
        var hold = 0
        for stop in stops {
            for length in stride(from: min(stop.count - 1, pending.count), to: 0, by: -1)
            where pending.hasSuffix(stop.prefix(length)) {
                hold = max(hold, length)
                break
            }
        }
        let cut = pending.index(pending.endIndex, offsetBy: -hold)
        let emit = String(pending[..<cut])
        pending = String(pending[cut...])
        return (emit, false)
    }

    /// Releases any held-back text at the end of generation.
    public mutating func flush() -> String {
        defer { pending = "" }
        return pending
    }
}
