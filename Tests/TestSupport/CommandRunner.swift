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
