#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file mapped read-only into memory. Weights are used in place from the mapping, so loading a
/// model costs no copy and the kernel pages the file in as layers are first touched.
public final class MappedFile: @unchecked Sendable {
    /// The file's path.
    public let path: String
    /// The first byte of the mapping (a valid pointer even for an empty file).
    public let base: UnsafeRawPointer
    /// The file's size in bytes.
    public let count: Int

    /// Maps the file at `path`.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw MappedFileError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw MappedFileError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        count = Int(info.st_size)
        if count == 0 {
            base = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 64))
            return
        }
        guard let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw MappedFileError.cannotMap(path: path, reason: String(cString: strerror(errno)))
        }
        base = UnsafeRawPointer(address)
    }

    deinit {
        if count == 0 {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        } else {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        }
    }

    /// The mapped bytes.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Drops this process's resident pages of `span` (the whole pages inside it) when `span` lies in
    /// this mapping, and returns whether it did. The bytes stay readable: the next access pages them
    /// in again from the file. A one-pass reader (`convert`) calls it after each tensor so that its
    /// resident memory does not grow to the size of the checkpoint.
    @discardableResult
    public func dropResidentPages(_ span: UnsafeRawBufferPointer) -> Bool {
        guard count > 0, let start = span.baseAddress, start >= base, start + span.count <= base + count else { return false }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (Int(bitPattern: start) + page - 1) / page * page
        let end = (Int(bitPattern: start) + span.count) / page * page
        guard end > first, let address = UnsafeMutableRawPointer(bitPattern: first) else { return true }
        // MADV_DONTNEED on a read-only private file mapping discards only this process's view.
        madvise(address, end - first, MADV_DONTNEED)
        return true
    }
}

/// Why a file could not be mapped.
public enum MappedFileError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case cannotMap(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
        case .cannotMap(let path, let reason): "cannot memory-map \(path): \(reason)"
        }
    }
}
