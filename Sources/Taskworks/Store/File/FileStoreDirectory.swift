import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Creating, checking and tidying a file store's directory (all under the store's lock).
enum FileStoreDirectory {
    static func path(_ name: String, in directory: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func check(_ directory: String, create: Bool) throws {
        try PosixFile.prepareDirectory(
            directory, create: create, role: "store",
            missingAdvice: "create it (mode 0700) or open with Options(createDirectory: true)")
    }

    static func names(in directory: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw TaskworksError.storageFailure("could not list \(directory): \(error)", path: directory)
        }
    }

    static func checkForForeignFiles(_ directory: String) throws {
        if let foreign = try names(in: directory).first(where: { !FileStoreFormat.isOwnFile($0) }) {
            let foreignPath = path(foreign, in: directory)
            throw TaskworksError.corruptStore(
                "\(foreignPath) is not a Taskworks file store file; give the store a directory of its own "
                    + "(empty, or written only by a FileTaskStore). Nothing was changed",
                path: foreignPath)
        }
    }

    private static func isEmptyFile(_ path: String) -> Bool {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) == 0
    }

    /// Makes an empty store: generation 1 with no tasks. Ordered so that a crash at any step
    /// leaves either no store yet (nothing, a `lock`, a `snapshot.json.tmp`, an empty
    /// `journal-1.jsonl`: all replaced here) or an empty store (`snapshot.json` renamed into
    /// place, its journal already beside it).
    static func initialize(_ directory: String) throws {
        for journal in try names(in: directory) where FileStoreFormat.generation(ofJournal: journal) != nil {
            let journalPath = path(journal, in: directory)
            guard journal == FileStoreFormat.journalFile(1), isEmptyFile(journalPath) else {
                throw TaskworksError.corruptStore(
                    "\(journalPath) exists but \(FileStoreFormat.snapshotFile) is missing; restore the snapshot "
                        + "from a backup, or salvage the journals (see the guide \"Operating Taskworks\"). Nothing was "
                        + "changed",
                    path: journalPath)
            }
        }
        chmod(directory, 0o700)
        let bytes = FileStoreFormat.snapshotBytes(generation: 1, records: [], scheduleTicks: [])
        let temporaryPath = path(FileStoreFormat.snapshotTemporaryFile, in: directory)
        let temporary = try PosixFile.opening(temporaryPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
        defer { temporary.closeFile() }
        try temporary.append(bytes)
        try temporary.sync()
        let journal = try PosixFile.opening(
            path(FileStoreFormat.journalFile(1), in: directory), flags: O_WRONLY | O_CREAT | O_TRUNC)
        journal.closeFile()
        try PosixFile.syncDirectory(directory)
        guard rename(temporaryPath, path(FileStoreFormat.snapshotFile, in: directory)) == 0 else {
            throw PosixFile.failure("rename", temporaryPath)
        }
        try PosixFile.syncDirectory(directory)
    }

    /// A journal newer than the last one the rotations lead to is a leftover of a compaction
    /// that died before its rotation record when it is empty; holding data, nothing points at
    /// it, so it is `corruptStore` (never deleted).
    static func checkForOrphanJournals(_ directory: String, after generation: Int) throws {
        for name in try names(in: directory) {
            guard let number = FileStoreFormat.generation(ofJournal: name), number > generation else {
                continue
            }
            let journalPath = path(name, in: directory)
            if isEmptyFile(journalPath) { continue }
            throw TaskworksError.corruptStore(
                "\(journalPath) holds data, but no rotation record leads to it (the store's journals end at "
                    + "generation \(generation)); it was not written by this store's compaction. Nothing was "
                    + "changed: move it away, or salvage the store (see the guide \"Operating Taskworks\")",
                path: journalPath)
        }
    }

    /// Removes what an interrupted compaction left behind: the temporary snapshot, journals older
    /// than the snapshot, empty journals newer than the last one in use. Runs under the lock, so
    /// no other process is compacting; a process still reading an older journal keeps its open
    /// descriptor.
    static func removeLeftovers(_ directory: String, keeping generations: ClosedRange<Int>) {
        for name in (try? names(in: directory)) ?? [] {
            let stale =
                name == FileStoreFormat.snapshotTemporaryFile
                || FileStoreFormat.generation(ofJournal: name).map { !generations.contains($0) } ?? false
            if stale { unlink(path(name, in: directory)) }
        }
    }
}
