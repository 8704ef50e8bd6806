import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FileStoreEngine {
    /// Compacts when the journal outgrew both the threshold and the snapshot. A compaction that
    /// fails is a warning: the store stays readable through its journals.
    func compactIfNeeded() {
        guard journalOffset >= options.compactionThreshold, journalOffset >= snapshotBytes else { return }
        do {
            try compact()
        } catch {
            warn(
                "compaction to generation \(generation + 1) did not finish (\(error)); the journal keeps growing"
            )
        }
    }

    /// Rewrites a store of an earlier format version as the current one, in place, under the
    /// lock: one compaction that writes the new snapshot (framed, with schedule state as its own
    /// records — the loaded index already turned version 2's hidden schedule tasks into ticks). A
    /// crash at any step leaves a store that opens (as the old version again, upgraded on that
    /// open, or already as the new one); nothing is lost.
    func upgrade() throws {
        let from = loadedVersion
        do {
            try compact()
        } catch {
            throw TaskworksError.storageFailure(
                "could not upgrade the version-\(from) store in \(directory) to version \(FileStoreFormat.version) "
                    + "(\(error)); it is unchanged. Free disk space or fix permissions and open it again",
                path: directory)
        }
        loadedVersion = FileStoreFormat.version
        warn("upgraded \(directory) from file format version \(from) to \(FileStoreFormat.version)")
    }

    /// Starts a new generation: writes the whole state to a temporary snapshot, `fsync`s it,
    /// creates the next journal, `fsync`s the directory, marks the rotation at the end of the
    /// current journal and `fsync`s it, renames the snapshot into place and `fsync`s the
    /// directory. A crash at any step leaves files that open to the same state: before the
    /// rotation record the old snapshot and journal stand (the new journal is an empty leftover);
    /// after it every reader follows the rotation whichever snapshot it finds.
    func compact() throws {
        let next = generation + 1
        let temporaryPath = FileStoreDirectory.path(FileStoreFormat.snapshotTemporaryFile, in: directory)
        let nextJournalPath = FileStoreDirectory.path(FileStoreFormat.journalFile(next), in: directory)
        do {
            let bytes = FileStoreFormat.snapshotBytes(
                generation: next, records: index.allRecords, scheduleTicks: index.allScheduleTicks,
                pausedTypes: index.pausedTypes.sorted(), settings: index.settings)
            let temporary = try PosixFile.opening(temporaryPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
            defer { temporary.closeFile() }
            try temporary.append(bytes)
            try temporary.sync()
            let nextJournal = try PosixFile.opening(nextJournalPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
            nextJournal.closeFile()
            try PosixFile.syncDirectory(directory)
            var rotation: [UInt8] = []
            JournalEntry.appendRotation(to: next, versionOne: readsVersionOne, to: &rotation)
            try journal.append(rotation)
            try journal.sync()
            snapshotBytes = bytes.count
        } catch {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw error
        }
        // The rotation is written: from here on every process moves to the next journal.
        let oldJournalPath = journal.path
        do {
            try switchJournal(to: next, from: journalLines + 1)
            readsVersionOne = false
            guard
                rename(temporaryPath, FileStoreDirectory.path(FileStoreFormat.snapshotFile, in: directory))
                    == 0
            else {
                throw PosixFile.failure("rename", temporaryPath)
            }
            try PosixFile.syncDirectory(directory)
            snapshotGeneration = next
            unlink(oldJournalPath)
        } catch {
            warn("compaction to generation \(next): \(error); the store stays readable through the journals")
        }
    }
}
