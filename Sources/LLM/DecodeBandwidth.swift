/// What fraction of the machine's memory read bandwidth decoding uses, measured token by token: each decoded
/// token's weight bytes per second against probe passes run just before and just after it. On a machine whose
/// bandwidth drifts by a third within a minute, a ceiling measured apart from the decode (minutes before or after)
/// can put the share anywhere from 60 % to over 100 %; a pass on either side of every token brackets it.
public struct DecodeBandwidth: Sendable {
    /// Weight bytes read per decoded token.
    public let bytesPerToken: Int
    /// Tokens measured, each with its own pair of probe passes.
    public let tokens: Int
    /// The median over tokens of weight bytes per second.
    public let decodeBytesPerSecond: Double
    /// The median over tokens of each token's ceiling: the faster of the probe passes before and after it.
    public let probeBytesPerSecond: Double
    /// The fastest probe pass of the measurement.
    public let bestProbeBytesPerSecond: Double
    /// The median over tokens of each token's rate divided by its own ceiling.
    public let share: Double

    /// The figures from each token's seconds and the `tokens + 1` probe rates around them (pass i before token i,
    /// pass i + 1 after it).
    public init(bytesPerToken: Int, tokenSeconds: [Double], probeRates: [Double]) {
        precondition(!tokenSeconds.isEmpty && probeRates.count == tokenSeconds.count + 1,
                     "one probe pass before every token and one after the last")
        let rates = tokenSeconds.map { Double(bytesPerToken) / $0 }
        let ceilings = rates.indices.map { max(probeRates[$0], probeRates[$0 + 1]) }
        self.bytesPerToken = bytesPerToken
        tokens = rates.count
        decodeBytesPerSecond = Self.median(rates)
        probeBytesPerSecond = Self.median(ceilings)
        bestProbeBytesPerSecond = probeRates.max()!
        share = Self.median(rates.indices.map { rates[$0] / ceilings[$0] })
    }

    /// The middle value (the mean of the middle two for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted(), middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
