import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file descriptor with the few POSIX calls the file store needs, each turning `errno`
/// into a ``TaskworksError`` that names the file. Blocking: used only on the file store's own
/// I/O thread, never on a Swift concurrency thread.
struct PosixFile {
    let descriptor: Int32
    let path: String

    /// Opens `path` with `flags`, creating it with mode 0600 when `O_CREAT` is given.
    static func opening(_ path: String, flags: Int32) throws -> PosixFile {
        let descriptor = path.withCString { open($0, flags | O_CLOEXEC, 0o600) }
        guard descriptor >= 0 else { throw PosixFile.failure("open", path) }
        return PosixFile(descriptor: descriptor, path: path)
    }

    func closeFile() {
        _ = close(descriptor)
    }

    /// The file's size in bytes.
    func size() throws -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw PosixFile.failure("stat", path) }
        return Int(info.st_size)
    }

    /// Reads from `offset` to the end of the file, or at most `limit` bytes.
    func read(from offset: Int, upTo limit: Int = .max) throws -> [UInt8] {
        let end = try size()
        guard end > offset else { return [] }
        var bytes = [UInt8](repeating: 0, count: min(end - offset, limit))
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw PosixFile.failure("read", path)
            }
            if count == 0 { break }
            done += count
        }
        return done == bytes.count ? bytes : Array(bytes.prefix(done))
    }

    /// Appends all of `bytes` (the descriptor is opened with `O_APPEND`).
    func append(_ bytes: [UInt8]) throws {
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + done, buffer.count - done)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw PosixFile.failure("write", path)
            }
            done += count
        }
    }

    /// Forces written data, and the size that reads it back, to the disk (`fdatasync`).
    func sync() throws {
        guard fdatasync(descriptor) == 0 else { throw PosixFile.failure("fdatasync", path) }
    }

    /// Forces the file's data and all of its metadata to the disk (`fsync`): for directories,
    /// whose entries are their metadata, and for a truncation that must be on disk before
    /// anything is written after it.
    func syncAll() throws {
        guard fsync(descriptor) == 0 else { throw PosixFile.failure("fsync", path) }
    }

    func truncate(to length: Int) throws {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw PosixFile.failure("truncate", path) }
    }

    /// Takes the exclusive advisory lock, waiting for other processes to release it.
    func lockExclusive() throws {
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw PosixFile.failure("lock", path)
        }
    }

    func unlock() {
        _ = flock(descriptor, LOCK_UN)
    }

    /// Makes sure `directory` is a directory this process can write: creates it (mode 0700) when
    /// missing and `create` is set. `role` names it in errors ("store", "artifact").
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when it is missing (and not to be created)
    ///   or is a file; ``TaskworksError/Code/storageFailure`` when it cannot be made or written.
    static func prepareDirectory(_ directory: String, create: Bool, role: String, missingAdvice: String)
        throws
    {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard create else {
                throw TaskworksError(
                    code: .invalidInput,
                    message: "the \(role) directory \(directory) does not exist; \(missingAdvice)",
                    path: directory)
            }
            let created = missingAncestors(of: directory) + [directory]
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
                // A new directory's entry lives in its parent: until the parent is synced, a power
                // loss may take the directory away, with everything later written and synced in it.
                for path in created.reversed() { try syncDirectory(parent(of: path)) }
            } catch {
                throw TaskworksError.storageFailure(
                    "could not create the \(role) directory \(directory): \(error)", path: directory)
            }
            isDirectory = true
        }
        guard isDirectory.boolValue else {
            throw TaskworksError(
                code: .invalidInput,
                message: "the \(role) path \(directory) is a file, not a directory; give a directory path",
                path: directory)
        }
        var info = stat()
        let ownerCanWrite = stat(directory, &info) == 0 && (info.st_mode & S_IWUSR) != 0
        guard ownerCanWrite, access(directory, W_OK | X_OK) == 0 else {
            throw TaskworksError.storageFailure(
                "the \(role) directory \(directory) is not writable; give this process write permission "
                    + "(Taskworks keeps it at mode 0700)",
                path: directory)
        }
    }

    /// Makes a rename, file creation or removal in `directory` durable.
    static func syncDirectory(_ directory: String) throws {
        let file = try PosixFile.opening(directory, flags: O_RDONLY | O_DIRECTORY)
        defer { file.closeFile() }
        try file.syncAll()
    }

    /// The directory that holds `path` ("." for a bare name).
    static func parent(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The ancestors of `path` that do not exist yet, outermost first.
    private static func missingAncestors(of path: String) -> [String] {
        var missing: [String] = []
        var current = parent(of: path)
        while current != "/", current != ".", !FileManager.default.fileExists(atPath: current) {
            missing.insert(current, at: 0)
            current = parent(of: current)
        }
        return missing
    }

    static func failure(_ operation: String, _ path: String) -> TaskworksError {
        let code = errno
        let reason = String(cString: strerror(code))
        var advice = ""
        switch code {
        case ENOSPC, EDQUOT: advice = "; free disk space, then retry"
        case EACCES, EPERM, EROFS: advice = "; give this process write access to the store directory"
        case ENOENT: advice = "; the file disappeared (was the directory removed?)"
        default: break
        }
        return .storageFailure("\(operation) \(path) failed: \(reason) (errno \(code))\(advice)", path: path)
    }
}
