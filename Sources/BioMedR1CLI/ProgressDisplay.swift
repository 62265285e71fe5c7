import Evaluation
import Foundation

/// Shows a run's progress on stderr: a bar rewritten in place on a terminal, a plain line every
/// 5 % otherwise (logs and CI keep a readable record).
final class ProgressDisplay: @unchecked Sendable {
    private let terminal = isatty(fileno(stderr)) != 0
    private let lock = NSLock()
    private var lastLogged = -1

    func show(_ p: EvaluationProgress) {
        lock.lock()
        defer { lock.unlock() }
        let eta = p.eta.map { Self.duration($0) } ?? "–"
        let stats = String(format: "%d/%d  %.1f items/min  ETA %@  accuracy %.1f%%  unparsed %d", p.done, p.total, p.rate * 60, eta, p.accuracy * 100, p.unparsed)
        if p.resumed > 0, p.done == p.resumed, lastLogged < 0 {
            Terminal.error("resuming: \(p.resumed) of \(p.total) items already in the store")
        }
        if terminal {
            let width = 30, filled = p.total > 0 ? p.done * width / p.total : width
            Terminal.errorRaw("\r\u{1B}[2K[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] " + stats)
        } else {
            let step = max(1, p.total / 20)
            if p.done == p.total || p.done / step != lastLogged / step || lastLogged < 0 { Terminal.error(stats) }
        }
        lastLogged = p.done
    }

    func finish() {
        if terminal { Terminal.errorRaw("\n") }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s % 3600 / 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }
}
