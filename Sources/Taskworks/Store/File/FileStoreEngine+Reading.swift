import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FileStoreEngine {
    /// Applies journal records written since the last look (by this or any process).
    func catchUp(holdingLock: Bool) {
        do {
            try readJournal(holdingLock: holdingLock)
        } catch let error as TaskworksError where error.code == .corruptStore {
            broken = error
        } catch {
            warn("could not read \(journal.path): \(error)")
        }
    }

    /// Reads and applies the journal from `journalOffset`, following rotations to newer
    /// generations, `options.journalReadChunk` bytes at a time (4 MiB: memory while reading stays
    /// that size, not the journal's; a record longer than that gets a buffer that grows to fit).
    ///
    /// What a crash leaves after the last whole record is, under the lock, dropped with a warning
    /// and the truncation synced before anything is written after it: a record cut short (a
    /// process or machine died while writing it), or zeros and whatever follows them that a power
    /// loss leaves (``FileStoreFrame/unsyncedTailProblem(_:from:)``). Nothing in it was
    /// acknowledged as durable. Without the lock such a tail may be a write in progress, so it is
    /// left for later. Any other damage throws `corruptStore` naming the file and the byte offset,
    /// and changes nothing.
    func readJournal(holdingLock: Bool) throws {
        var chunk = max(1, options.journalReadChunk)
        while true {
            let bytes = try journal.read(from: journalOffset, upTo: chunk)
            guard !bytes.isEmpty else { return }
            let (consumed, end) = try applyRecords(bytes)
            journalOffset += consumed
            let reachedEnd = bytes.count < chunk
            switch end {
            case .rotation(let next):
                try switchJournal(to: next, from: journalLines)
                chunk = max(1, options.journalReadChunk)
            case .wholeRecords:
                if reachedEnd { return }
            case .cutShort where !reachedEnd:
                // The chunk ended inside a record: read on from it, with room for the whole record
                // when it alone filled the chunk.
                if consumed == 0 { chunk = chunk > Int.max / 2 ? Int.max : chunk * 2 }
            case .cutShort:
                if holdingLock {
                    try dropUnsyncedTail(
                        bytes.count - consumed,
                        "a torn last record (a process or machine died while writing it)")
                }
                return
            case .zeroed:
                let tail = try journal.read(from: journalOffset)
                if let problem = tail.withUnsafeBytes({ FileStoreFrame.unsyncedTailProblem($0, from: 0) }) {
                    throw damaged(journal.path, offset: journalOffset, record: journalLines + 1, problem)
                }
                if holdingLock {
                    try dropUnsyncedTail(
                        tail.count,
                        "a torn tail of zero bytes and what follows them (a power loss left unsynced writes so)"
                    )
                }
                return
            }
        }
    }

    /// How a buffer of journal bytes ended.
    private enum BufferEnd {
        /// Every byte was a whole record.
        case wholeRecords
        /// A rotation record: the next records are in this generation's journal.
        case rotation(Int)
        /// A record that runs past the buffer: cut short, or longer than the buffer.
        case cutShort
        /// A record with zero bytes in it: a power loss's tail, or damage.
        case zeroed
    }

    /// Truncates the journal at `journalOffset`, dropping `length` bytes of an unsynced tail, and
    /// syncs the truncation: a record written after it that reached the disk while the truncation
    /// did not would leave the old tail's bytes after the new record.
    private func dropUnsyncedTail(_ length: Int, _ what: String) throws {
        warn(
            "dropped the last \(length) bytes of \(journal.path), from offset \(journalOffset): \(what); "
                + "nothing in them was acknowledged as durable")
        try journal.truncate(to: journalOffset)
        try journal.syncAll()
    }

    /// Applies the whole records in `bytes` (the journal from `journalOffset` on). Returns the
    /// bytes they take and how the buffer ended.
    private func applyRecords(_ bytes: [UInt8]) throws -> (Int, BufferEnd) {
        var offset = 0
        while offset < bytes.count {
            let scan = bytes.withUnsafeBytes {
                FileStoreFormat.scan($0, at: offset, versionOne: readsVersionOne)
            }
            switch scan {
            case .frame(let payload, let next):
                let entry = try journalEntry(bytes[payload], offset: journalOffset + offset)
                journalLines += 1
                offset = next
                switch entry {
                case .task(let task): index.replay(task)
                case .scheduleTick(let tick): index.scheduleTicks[tick.name] = tick.tick
                case .typePause(let pause): _ = index.setTaskType(pause.type, paused: pause.paused)
                case .settings(let settings): index.settings = settings
                case .remove(let id): index.removeReplayed(id)
                case .rotate(let next): return (offset, .rotation(next))
                }
            case .incomplete:
                return (offset, .cutShort)
            case .zeroed:
                return (offset, .zeroed)
            case .corrupt(let reason):
                throw damaged(journal.path, offset: journalOffset + offset, record: journalLines + 1, reason)
            }
        }
        return (offset, .wholeRecords)
    }

    /// Decodes one journal record. Version 2 is read by the strict parser only (an unknown key is
    /// an error); a version-1 line the parser does not know may still be valid `Codable` JSON.
    private func journalEntry(_ record: ArraySlice<UInt8>, offset: Int) throws -> JournalEntry {
        do {
            return try JournalEntry.parse(record)
        } catch {
            if readsVersionOne, record.first == UInt8(ascii: "{"),
                let decoded = try? decoder.decode(
                    FileStoreFormat.VersionOneJournalLine.self, from: Data(record))
            {
                if let task = decoded.task { return .task(task) }
                if let next = decoded.rotate { return .rotate(next) }
                if let id = decoded.remove { return .remove(id) }
            }
            throw damaged(journal.path, offset: offset, record: journalLines + 1, "\(error)")
        }
    }

    /// `corruptStore` naming the file, the byte offset and the record.
    func damaged(_ file: String, offset: Int, record: Int, _ reason: String) -> TaskworksError {
        TaskworksError.corruptStore(
            "record \(record) of \(file), at byte offset \(offset), is damaged (\(String(reason.prefix(200)))); "
                + "the files were left untouched. Restore a backup, or see the guide \"Operating Taskworks\"",
            path: file, line: record)
    }

    /// Moves on to journal `next`, which the rotation record ending the current journal names.
    ///
    /// A missing journal is expected only where this process fell more than one compaction
    /// behind: another process compacted past `next` and removed it, so the snapshot is newer
    /// than `next`, and reading starts over from it. Otherwise the journal the store's own
    /// rotation leads to is gone (a partial backup copy, a directory entry a power loss dropped):
    /// `corruptStore` naming it. Each start-over reads a strictly newer snapshot, so this never
    /// recurses without bound.
    func switchJournal(to next: Int, from rotationRecord: Int) throws {
        let nextPath = FileStoreDirectory.path(FileStoreFormat.journalFile(next), in: directory)
        let file: PosixFile
        do {
            file = try PosixFile.opening(nextPath, flags: O_RDWR | O_APPEND)
        } catch {
            guard let onDisk = try? FileStoreFormat.snapshotGeneration(in: directory), onDisk > next else {
                throw TaskworksError.corruptStore(
                    "\(nextPath) is missing, but record \(rotationRecord) of \(journal.path) rotates to generation "
                        + "\(next): the changes after that rotation are lost unless a backup has them. Nothing was "
                        + "changed; restore the journal, or salvage the store (see the guide \"Operating Taskworks\")",
                    path: nextPath)
            }
            try loadFromDisk(holdingLock: false)
            return
        }
        journal.closeFile()
        journal = file
        generation = next
        journalOffset = 0
        journalLines = 0
    }

    /// Rebuilds the index from the snapshot and the journals after it. The journal the snapshot
    /// expects must exist: a missing one is `corruptStore`, never an empty store.
    func loadFromDisk(holdingLock: Bool) throws {
        let snapshotPath = FileStoreDirectory.path(FileStoreFormat.snapshotFile, in: directory)
        let bytes: [UInt8]
        do {
            let file = try PosixFile.opening(snapshotPath, flags: O_RDONLY)
            defer { file.closeFile() }
            bytes = try file.read(from: 0)
        }
        let (version, records): (Int, [Range<Int>])
        do {
            (version, records) = try FileStoreFormat.snapshotRecords(bytes)
        } catch let damage as FileStoreFormat.SnapshotDamage {
            throw damaged(snapshotPath, offset: damage.offset, record: 1, damage.reason)
        }
        guard let headerRange = records.first else {
            throw damaged(snapshotPath, offset: 0, record: 1, "no header record")
        }
        let header = try snapshotHeader(bytes[headerRange], version: version, path: snapshotPath)
        guard header.tasks + header.schedules + header.pausedTypes + header.settings == records.count - 1
        else {
            throw TaskworksError.corruptStore(
                "\(snapshotPath) announces \(header.tasks) tasks, \(header.schedules) schedules, "
                    + "\(header.pausedTypes) paused types and \(header.settings) settings but holds \(records.count - 1) records; the files were "
                    + "left untouched",
                path: snapshotPath, line: records.count)
        }
        var fresh = InMemoryTaskIndex()
        for (number, range) in records.enumerated().dropFirst() {
            do {
                if number <= header.tasks {
                    fresh.replay(try TaskRecordJSON.parseRecord(bytes[range]))
                } else {
                    switch try JournalEntry.parse(bytes[range]) {
                    case .scheduleTick(let tick) where number <= header.tasks + header.schedules:
                        fresh.scheduleTicks[tick.name] = tick.tick
                    case .typePause(let pause)
                    where number > header.tasks + header.schedules && pause.paused
                        && number <= header.tasks + header.schedules + header.pausedTypes:
                        _ = fresh.setTaskType(pause.type, paused: true)
                    case .settings(let settings)
                    where number > header.tasks + header.schedules + header.pausedTypes:
                        fresh.settings = settings
                    default:
                        throw JSONSyntaxError(
                            offset: 0, reason: "expected a schedule, paused-type or settings record")
                    }
                }
            } catch {
                // Version 1 was also written by JSONEncoder (hand-edited lines, say).
                guard version == 1,
                    let record = try? decoder.decode(TaskRecord.self, from: Data(bytes[range]))
                else { throw damaged(snapshotPath, offset: range.lowerBound, record: number + 1, "\(error)") }
                fresh.replay(record)
            }
        }
        let journalPath = FileStoreDirectory.path(
            FileStoreFormat.journalFile(header.generation), in: directory)
        guard FileManager.default.fileExists(atPath: journalPath) else {
            throw TaskworksError.corruptStore(
                "\(journalPath) is missing, but \(FileStoreFormat.snapshotFile) (generation \(header.generation)) "
                    + "expects it: the changes since the snapshot are lost unless a backup has them. Nothing was "
                    + "changed; restore the journal, or salvage the snapshot (see the guide \"Operating Taskworks\")",
                path: journalPath)
        }
        let expectedJournal = try PosixFile.opening(journalPath, flags: O_RDWR | O_APPEND)
        index = fresh
        snapshotBytes = bytes.count
        generation = header.generation
        snapshotGeneration = header.generation
        readsVersionOne = version == 1
        loadedVersion = header.version
        journal.closeFile()
        journal = expectedJournal
        journalOffset = 0
        journalLines = 0
        try readJournal(holdingLock: holdingLock)
    }

    /// The snapshot's header, checked: its format, and a version this build reads whose framing
    /// matches the file's (version 1 bare lines, versions 2 and 3 framed).
    private func snapshotHeader(_ record: ArraySlice<UInt8>, version framing: Int, path: String) throws
        -> SnapshotHeader
    {
        let header: SnapshotHeader
        do {
            header = try SnapshotHeader.parse(record)
        } catch {
            throw TaskworksError.corruptStore(
                "the first record of \(path) is not a Taskworks snapshot header "
                    + "(\(String(String(describing: error).prefix(200)))); the files were left untouched",
                path: path, line: 1)
        }
        let framingMatches = framing == 1 ? header.version == 1 : header.version >= 2
        guard header.format == FileStoreFormat.formatName, framingMatches,
            (1...FileStoreFormat.version).contains(header.version)
        else {
            throw TaskworksError.corruptStore(
                "\(path) is format '\(header.format.prefix(100))' version \(header.version); this build reads "
                    + "'\(FileStoreFormat.formatName)' versions 1 to \(FileStoreFormat.version). Open it with the "
                    + "Taskworks version that wrote it; the files were left untouched",
                path: path, line: 1)
        }
        return header
    }

    func reloadAfterFailure() {
        do {
            try loadFromDisk(holdingLock: true)
        } catch let error as TaskworksError {
            broken = error
        } catch {
            broken = .storageFailure("\(error)")
        }
    }
}
