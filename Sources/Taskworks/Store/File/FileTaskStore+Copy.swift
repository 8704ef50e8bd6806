import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension FileTaskStore {
    /// Copies every file of the store in `directory` into `copy` (created, mode 0700) while
    /// holding the directory's lock, as every writer does while it writes and compacts: the copy
    /// is one consistent state even while other processes use the store. Opening the copy checks
    /// it as opening the store would, without changing the store. Calls `progress` after each
    /// file with how many are done and how many there are. Returns the bytes copied.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when `directory` is not a directory;
    ///   ``TaskworksError/Code/corruptStore`` when it has no lock file (not a file store);
    ///   ``TaskworksError/Code/storageFailure`` for I/O errors.
    package static func copyFiles(
        of directory: String, to copy: String, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> Int {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TaskworksError.invalidInput("\(directory) is not a directory holding a file store")
        }
        let lockPath = FileStoreDirectory.path(FileStoreFormat.lockFile, in: directory)
        guard manager.fileExists(atPath: lockPath) else {
            throw TaskworksError(
                code: .corruptStore, message: "\(directory) has no lock file: it is not a file store",
                path: lockPath)
        }
        let lock = try PosixFile.opening(lockPath, flags: O_RDONLY)
        defer { lock.closeFile() }
        try lock.lockExclusive()
        defer { lock.unlock() }
        try manager.createDirectory(
            atPath: copy, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let names = try manager.contentsOfDirectory(atPath: directory).sorted()
        var total = 0
        for (index, name) in names.enumerated() {
            let target = FileStoreDirectory.path(name, in: copy)
            try manager.copyItem(atPath: FileStoreDirectory.path(name, in: directory), toPath: target)
            total += ((try? manager.attributesOfItem(atPath: target))?[.size] as? Int) ?? 0
            progress(index + 1, names.count)
        }
        return total
    }
}
