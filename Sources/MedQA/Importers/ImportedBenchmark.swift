import Foundation

/// The questions read from one benchmark file.
public struct ImportedBenchmark: Sendable {
    /// The file.
    public var file: URL
    /// The format it was read as.
    public var format: BenchmarkFormat
    /// The questions, in file order, with ids unique within each benchmark.
    public var questions: [Question]
    /// Rows that were not questions.
    public var skipped: [SkippedRow]

    /// An import result.
    public init(file: URL, format: BenchmarkFormat, questions: [Question], skipped: [SkippedRow] = []) {
        self.file = file
        self.format = format
        self.questions = questions
        self.skipped = skipped
    }
}
