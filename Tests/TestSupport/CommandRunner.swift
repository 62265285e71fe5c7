import Foundation
import ModelFiles

/// What a finished command printed and how it exited.
public struct CommandOutput: Sendable {
    /// The exit status.
    public var status: Int32
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String
}

/// Runs a built executable as a user would. Output goes to files rather than pipes, so that a
/// child killed mid-run never leaves a reader blocked and large outputs never fill a pipe.
public enum CommandRunner {
    /// Starts `executable` and returns at once, with the files its streams go to.
    public static func start(
        _ executable: URL, _ arguments: [String], input: String? = nil,
        in directory: URL = FileManager.default.temporaryDirectory
    ) throws -> (process: Process, stdout: URL, stderr: URL) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = directory.appendingPathComponent("out-\(UUID().uuidString)")
        let err = directory.appendingPathComponent("err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let inPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try process.runWithDefaultSignalMask()
        if let input {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try inPipe.fileHandleForWriting.close()
        }
        return (process, out, err)
    }

    /// Runs `executable` to completion.
    public static func run(_ executable: URL, _ arguments: [String], input: String? = nil) throws -> CommandOutput {
        let (process, out, err) = try start(executable, arguments, input: input)
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        return CommandOutput(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                             stderr: try String(contentsOf: err, encoding: .utf8))
    }
}

extension CommandRunner {
    /// A command that outlived its time limit (it was killed).
    public struct Timeout: Error, CustomStringConvertible {
        public let command: String
        public let seconds: Double
        public var description: String { "\(command) did not finish within \(seconds) s and was killed" }
    }

    /// Runs `executable` to completion without blocking a thread: the wait is a continuation
    /// resumed by the process's termination handler, so async tests never tie up the cooperative
    /// pool. Past `timeout` seconds the process is killed and `Timeout` is thrown.
    public static func run(_ executable: URL, _ arguments: [String], input: String? = nil, timeout: Double) async throws -> CommandOutput {
        let process = Process()
        let (out, err) = (temporaryFile("out"), temporaryFile("err"))
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let inPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            if let input {
                inPipe.fileHandleForWriting.write(Data(input.utf8))
                try? inPipe.fileHandleForWriting.close()
            }
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if process.isRunning { kill(pid, SIGKILL) }
            }
        }
        let stdout = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        if status == SIGKILL, process.terminationReason == .uncaughtSignal {
            throw Timeout(command: ([executable.lastPathComponent] + arguments).joined(separator: " ").prefix(200).description, seconds: timeout)
        }
        return CommandOutput(status: status, stdout: stdout, stderr: stderr)
    }

    private static func temporaryFile(_ prefix: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }
}
