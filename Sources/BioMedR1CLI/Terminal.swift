import Foundation

/// Unbuffered writes to the standard streams, so streamed tokens appear as they are produced.
enum Terminal {
    static func out(_ text: String) {
        fputs(text, stdout)
        fflush(stdout)
    }

    static func error(_ line: String) {
        fputs(line + "\n", stderr)
    }

    static func errorRaw(_ text: String) {
        fputs(text, stderr)
        fflush(stderr)
    }

    /// The one line of timings that generation ends with, like llama.cpp's.
    static func timings(prompt: Int, prefillRate: Double, generated: Int, decodeRate: Double) -> String {
        String(format: "prompt: %d tokens, %.1f t/s | generated: %d tokens, %.1f t/s", prompt, prefillRate, generated, decodeRate)
    }
}
