import Foundation

/// The small statistical functions reports use: each is a pure function of its inputs, so a report
/// is reproducible, and each is checked against scipy (`scripts/make-statistics-goldens.py`).
public enum Statistics {
    /// The normal quantile for a two-sided 95 % interval.
    public static let z95 = 1.959963984540054

    /// Wilson score interval for `successes` out of `total` at the two-sided normal quantile `z`:
    /// unlike the normal-approximation interval it stays inside [0, 1] and behaves at 0 and 100 %,
    /// which small benchmark splits often hit. (0, 1) when `total` is 0.
    public static func wilson(successes: Int, total: Int, z: Double = z95) -> ConfidenceInterval {
        guard total > 0 else { return ConfidenceInterval(lower: 0, upper: 1) }
        let n = Double(total), p = Double(successes) / n, z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return ConfidenceInterval(lower: max(0, centre - half), upper: min(1, centre + half))
    }

    /// Percentile bootstrap interval of the mean of `values` (one value per question, e.g. 1 for
    /// correct): `resamples` resamples of the questions with replacement, drawn by SplitMix64 from
    /// `seed`, and the `(1 − level)/2` and `(1 + level)/2` percentiles of their means, interpolated
    /// linearly as numpy does. Resampling questions, not items, keeps a question's several items together.
    public static func bootstrap(_ values: [Double], resamples: Int = 2000, level: Double = 0.95, seed: UInt64 = 0) -> ConfidenceInterval {
        guard !values.isEmpty, resamples > 0 else { return ConfidenceInterval(lower: 0, upper: 1) }
        var rng = SplitMix64(seed: seed)
        let n = UInt64(values.count)
        var means = [Double](repeating: 0, count: resamples)
        for r in 0..<resamples {
            var sum = 0.0
            for _ in 0..<values.count { sum += values[Int(rng.next() % n)] }
            means[r] = sum / Double(values.count)
        }
        means.sort()
        return ConfidenceInterval(lower: percentile(means, (1 - level) / 2), upper: percentile(means, (1 + level) / 2))
    }

    /// The `q`-quantile (0…1) of sorted values, linear between neighbours (numpy's default).
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }

    /// McNemar's exact test: the two-sided binomial test (p = ½) on the discordant pairs, where
    /// `onlyFirst` items were right only in the first run and `onlySecond` only in the second.
    /// Exact rather than χ² because per-split discordant counts are often small. 1 when there are none.
    public static func mcNemarExact(onlyFirst: Int, onlySecond: Int) -> Double {
        let n = onlyFirst + onlySecond
        guard n > 0 else { return 1 }
        let k = min(onlyFirst, onlySecond)
        // P(X ≤ k) for X ~ Binomial(n, ½), summed in log space so large n does not underflow.
        var tail = 0.0
        for i in 0...k { tail += exp(logChoose(n, i) - Double(n) * M_LN2) }
        return min(1, 2 * tail)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
