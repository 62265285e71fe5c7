import Foundation

/// Where a run stands, reported after each finished item.
public struct EvaluationProgress: Sendable, Hashable {
    /// Items finished, including those found in the store from an earlier attempt.
    public var done: Int
    /// Items in the run.
    public var total: Int
    /// Items found already finished when this attempt started.
    public var resumed: Int
    /// Correct items among `done`.
    public var correct: Int
    /// Unparsed items among `done`.
    public var unparsed: Int
    /// Seconds since this attempt started.
    public var elapsed: Double

    /// A progress report.
    public init(done: Int, total: Int, resumed: Int, correct: Int, unparsed: Int, elapsed: Double) {
        self.done = done
        self.total = total
        self.resumed = resumed
        self.correct = correct
        self.unparsed = unparsed
        self.elapsed = elapsed
    }

    /// Items per second in this attempt.
    public var rate: Double { elapsed > 0 ? Double(done - resumed) / elapsed : 0 }
    /// Seconds left at the current rate; nil before the first item.
    public var eta: Double? { rate > 0 ? Double(total - done) / rate : nil }
    /// Accuracy over the finished items (plain and adversarial together).
    public var accuracy: Double { done > 0 ? Double(correct) / Double(done) : 0 }
}
