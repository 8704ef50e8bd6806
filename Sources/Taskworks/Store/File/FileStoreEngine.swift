import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One unit of work for the file store's I/O thread.
struct FileStoreJob: Sendable {
    enum Kind: Sendable {
        /// Reads the index (after catching up with other processes' writes).
        case read
        /// Changes the index; its changes are journaled before the caller hears back.
        case write
        /// A claim: journaled like a write, but answered once appended, before its `fsync` (which
        /// the same group commit still does). Every process reads the appended lines, so the
        /// claim is exclusive at once; a killed process loses nothing it appended. Only a machine
        /// crash can forget a claim, and then the task is pending again, as if its worker had
        /// died mid-run.
        case claim
        /// Forces everything written so far to disk.
        case sync
    }

    let kind: Kind
    /// Runs on the I/O thread against the current index; returns the tasks it changed and how
    /// to answer the caller once those changes are durable (or failed).
    let execute: @Sendable (inout InMemoryTaskIndex) -> FileStoreJobOutcome
    /// Answers the caller with an error without running the job.
    let fail: @Sendable (TaskworksError) -> Void
}

/// What a job did, and how to answer its caller.
struct FileStoreJobOutcome: Sendable {
    var changed: [TaskRecord]
    /// Tasks removed for good (journaled as `{"remove": id}`).
    var removed: [TaskID] = []
    /// Called once: with `nil` when the changes are stored (or there were none), otherwise with
    /// the error that kept them from being stored.
    let complete: @Sendable (TaskworksError?) -> Void
}

/// The state and file I/O of one open ``FileTaskStore``, confined to the store's I/O thread
/// (it is created and used there only, so it needs no locks of its own).
///
/// Every batch of writes runs under the directory's exclusive advisory lock: catch up with the
/// journal (other processes' changes), apply the jobs to the in-memory index, append their
/// changes as one write, `fsync` once for the whole batch (group commit), then answer the
/// callers. A failed append is truncated away and the index is reloaded from disk, so memory
/// never runs ahead of what was written.
final class FileStoreEngine {
    let directory: String
    let options: FileTaskStore.Options
    private(set) var index = InMemoryTaskIndex()
    private(set) var warnings: [String] = []
    private let lockFile: PosixFile
    private var journal: PosixFile
    private var generation = 1
    /// The generation of `snapshot.json`; journals from it on hold the changes since.
    private var snapshotGeneration = 1
    /// Bytes of the current journal that are applied to the index.
    private var journalOffset = 0
    /// Complete lines of the current journal applied so far (for error messages).
    private var journalLines = 0
    private var snapshotBytes = 0
    private var unsyncedSince: ContinuousClock.Instant?
    /// Flushes `.synchronous` writes off this thread and answers their callers.
    private let syncer = JournalSyncer()
    /// Set when a journal turned out corrupt while running: every later job fails with it.
    private var broken: TaskworksError?

    private let encoder = FileStoreFormat.encoder()
    private let decoder = JSONDecoder()

    init(directory: String, options: FileTaskStore.Options) throws {
        self.directory = directory
        self.options = options
        try FileStoreEngine.checkDirectory(directory, create: options.createDirectory)
        let lock = try PosixFile.opening(
            path(FileStoreFormat.lockFile, in: directory), flags: O_RDWR | O_CREAT)
        do {
            try lock.lockExclusive()
            try FileStoreEngine.checkForForeignFiles(directory)
            let snapshotPath = path(FileStoreFormat.snapshotFile, in: directory)
            if !FileManager.default.fileExists(atPath: snapshotPath) {
                try FileStoreEngine.initialize(directory)
            }
        } catch {
            lock.unlock()
            lock.closeFile()
            throw error
        }
        lockFile = lock
        // A placeholder: loadFromDisk opens the journal of the snapshot's generation.
        journal = PosixFile(descriptor: -1, path: "")
        defer { lockFile.unlock() }
        try loadFromDisk(holdingLock: true)
        removeLeftovers()
    }

    deinit {
        journal.closeFile()
        lockFile.closeFile()
    }

    // MARK: - The I/O loop

    /// Drains `queue` until it is closed, then syncs and returns.
    func run(_ queue: BlockingJobQueue<FileStoreJob>) {
        while true {
            var timeout: Duration?
            if case .batched(let interval) = options.durability, let since = unsyncedSince {
                timeout = max(.zero, since + interval - ContinuousClock.now)
            }
            guard let batch = queue.takeAll(waitingAtMost: timeout) else { break }
            if batch.isEmpty {
                syncIfNeeded()
                continue
            }
            process(batch)
        }
        syncIfNeeded()
        syncer.finish()
    }

    private func process(_ batch: [FileStoreJob]) {
        if let broken {
            for job in batch { job.fail(broken) }
            return
        }
        let writes = batch.filter { $0.kind == .write || $0.kind == .claim }
        if !writes.isEmpty { commit(writes) }
        let reads = batch.filter { $0.kind == .read }
        if !reads.isEmpty {
            if writes.isEmpty { catchUp(holdingLock: false) }
            for job in reads {
                if let broken { job.fail(broken) } else { job.execute(&index).complete(nil) }
            }
        }
        for job in batch where job.kind == .sync {
            syncIfNeeded()
            // Answered after every flush queued before it.
            syncer.sync(journal, then: [job.execute(&index).complete])
        }
    }

    private func commit(_ writes: [FileStoreJob]) {
        // Most of what other processes wrote is applied before taking the lock, so the lock is
        // held only for the last few lines, the apply and the append.
        catchUp(holdingLock: false)
        do {
            try lockFile.lockExclusive()
        } catch {
            let failure = error as? TaskworksError ?? .storageFailure("\(error)")
            for job in writes { job.fail(failure) }
            return
        }
        // The lock covers catching up, applying and appending; it is released before the fsync
        // so other processes append (and fsync) meanwhile. Callers still hear back only after
        // this process's fsync, which also flushes everything appended before it.
        var locked = true
        defer { if locked { lockFile.unlock() } }
        catchUp(holdingLock: true)
        if let broken {
            for job in writes { job.fail(broken) }
            return
        }
        var outcomes: [FileStoreJobOutcome] = []
        var answeredBeforeSync: [Bool] = []
        var bytes: [UInt8] = []
        for job in writes {
            let outcome = job.execute(&index)
            answeredBeforeSync.append(job.kind == .claim)
            for record in outcome.changed { TaskRecordJSON.appendJournalLine(record, to: &bytes) }
            for id in outcome.removed { bytes += Array("{\"remove\":\"\(id)\"}\n".utf8) }
            outcomes.append(outcome)
        }
        if !bytes.isEmpty {
            do {
                if let fault = options.writeFault, fault() {
                    throw TaskworksError.storageFailure(
                        "write \(journal.path) failed: injected fault", path: journal.path)
                }
                try journal.append(bytes)
            } catch {
                // Drop whatever part of the batch reached the file, and forget it in memory.
                let failure = error as? TaskworksError ?? .storageFailure("\(error)")
                try? journal.truncate(to: journalOffset)
                reloadAfterFailure()
                for outcome in outcomes { outcome.complete(failure) }
                return
            }
            journalOffset += bytes.count
            journalLines += outcomes.reduce(0) { $0 + $1.changed.count + $1.removed.count }
            compactIfNeeded()
            lockFile.unlock()
            locked = false
            for (outcome, early) in zip(outcomes, answeredBeforeSync) where early { outcome.complete(nil) }
            outcomes = zip(outcomes, answeredBeforeSync).filter { !$0.1 }.map(\.0)
            if options.durability == .synchronous {
                // Answered by the sync thread once the journal is flushed (a failed flush reports
                // its error; the bytes stay, as other processes may have read them already).
                syncer.sync(journal, then: outcomes.map(\.complete))
                return
            } else if unsyncedSince == nil {
                unsyncedSince = .now
            }
        }
        for outcome in outcomes { outcome.complete(nil) }
    }

    private func syncIfNeeded() {
        guard unsyncedSince != nil, broken == nil else { return }
        do {
            try journal.sync()
            unsyncedSince = nil
        } catch {
            warn("\(error)")
        }
    }

    // MARK: - Reading the files

    /// Applies journal lines written since the last look (by this or any process).
    private func catchUp(holdingLock: Bool) {
        do {
            try readJournal(holdingLock: holdingLock)
        } catch let error as TaskworksError where error.code == .corruptStore {
            broken = error
        } catch {
            warn("could not read \(journal.path): \(error)")
        }
    }

    /// Reads and applies the journal from `journalOffset`, following rotations to newer
    /// generations. Under the lock, an incomplete last line can only be a write that died
    /// half-way: it is truncated away with a warning. Without the lock it may be a write in
    /// progress, so it is left for later.
    private func readJournal(holdingLock: Bool) throws {
        while true {
            let bytes = try journal.read(from: journalOffset)
            guard !bytes.isEmpty else { return }
            let (lines, consumed) = FileStoreFormat.completeLines(bytes)
            var lineOffset = journalOffset
            for line in lines {
                let lineNumber = journalLines + 1
                let entry = try journalEntry(line, lineNumber: lineNumber)
                journalLines = lineNumber
                lineOffset += line.count + 1
                if case .task(let task) = entry { index.upsert(task) }
                if case .remove(let id) = entry { index.removeReplayed(id) }
                if case .rotate(let next) = entry {
                    try switchJournal(to: next)
                    break
                }
                journalOffset = lineOffset
            }
            if lineOffset != journalOffset { continue }  // rotated: keep reading the next journal
            if consumed < bytes.count {
                if holdingLock {
                    warn(
                        "dropped a torn last line of \(journal.path) (\(bytes.count - consumed) bytes): a "
                            + "process died while writing it, so it was never acknowledged")
                    try journal.truncate(to: journalOffset)
                }
            }
            return
        }
    }

    /// Decodes one journal line: the fast parser for what this store writes, `JSONDecoder` for
    /// anything else that is still valid (a hand-edited line, say).
    private func journalEntry(_ line: ArraySlice<UInt8>, lineNumber: Int) throws
        -> TaskRecordJSON.JournalEntry
    {
        if let entry = TaskRecordJSON.journalEntry(line) { return entry }
        do {
            let decoded = try decoder.decode(FileStoreFormat.JournalLine.self, from: Data(line))
            if let task = decoded.task { return .task(task) }
            if let next = decoded.rotate { return .rotate(next) }
            if let id = decoded.remove { return .remove(id) }
            throw TaskworksError.invalidInput("the line holds neither a task nor a rotation")
        } catch {
            throw TaskworksError.corruptStore(
                "line \(lineNumber) of \(journal.path) is not a task change the store wrote "
                    + "(\(FileStoreEngine.shortReason(error))); the files were left untouched. "
                    + "Restore a backup, or see \"Recovery\" in the README",
                path: journal.path, line: lineNumber)
        }
    }

    private func switchJournal(to next: Int) throws {
        let nextPath = path(FileStoreFormat.journalFile(next), in: directory)
        let file: PosixFile
        do {
            file = try PosixFile.opening(nextPath, flags: O_RDWR | O_APPEND)
        } catch {
            // This process fell more than one compaction behind: start over from the snapshot.
            try loadFromDisk(holdingLock: false)
            return
        }
        journal.closeFile()
        journal = file
        generation = next
        journalOffset = 0
        journalLines = 0
    }

    /// Rebuilds the index from the snapshot and the journals after it.
    private func loadFromDisk(holdingLock: Bool) throws {
        let snapshotPath = path(FileStoreFormat.snapshotFile, in: directory)
        let bytes: [UInt8]
        do {
            let file = try PosixFile.opening(snapshotPath, flags: O_RDONLY)
            defer { file.closeFile() }
            bytes = try file.read(from: 0)
        }
        let (lines, consumed) = FileStoreFormat.completeLines(bytes)
        guard consumed == bytes.count, let headerLine = lines.first else {
            throw TaskworksError.corruptStore(
                "\(snapshotPath) is incomplete (it does not end with a newline); the files were left "
                    + "untouched. Restore a backup, or see \"Recovery\" in the README",
                path: snapshotPath, line: lines.count + 1)
        }
        let header: FileStoreFormat.SnapshotHeader
        do {
            header = try decoder.decode(FileStoreFormat.SnapshotHeader.self, from: Data(headerLine))
        } catch {
            throw TaskworksError.corruptStore(
                "line 1 of \(snapshotPath) is not a Taskworks snapshot header "
                    + "(\(FileStoreEngine.shortReason(error))); the files were left untouched",
                path: snapshotPath, line: 1)
        }
        guard header.format == FileStoreFormat.formatName, header.version == FileStoreFormat.version else {
            throw TaskworksError.corruptStore(
                "\(snapshotPath) is format '\(header.format)' version \(header.version); this build reads "
                    + "'\(FileStoreFormat.formatName)' version \(FileStoreFormat.version). Open it with the "
                    + "Taskworks version that wrote it; the files were left untouched",
                path: snapshotPath, line: 1)
        }
        guard header.tasks == lines.count - 1 else {
            throw TaskworksError.corruptStore(
                "\(snapshotPath) announces \(header.tasks) tasks but holds \(lines.count - 1); the files "
                    + "were left untouched",
                path: snapshotPath, line: lines.count)
        }
        var fresh = InMemoryTaskIndex()
        for (offset, line) in lines.dropFirst().enumerated() {
            if let record = TaskRecordJSON.record(line) {
                fresh.upsert(record)
                continue
            }
            do {
                fresh.upsert(try decoder.decode(TaskRecord.self, from: Data(line)))
            } catch {
                throw TaskworksError.corruptStore(
                    "line \(offset + 2) of \(snapshotPath) is not a task "
                        + "(\(FileStoreEngine.shortReason(error))); the files were left untouched",
                    path: snapshotPath, line: offset + 2)
            }
        }
        index = fresh
        snapshotBytes = bytes.count
        generation = header.generation
        snapshotGeneration = header.generation
        let journalPath = path(FileStoreFormat.journalFile(generation), in: directory)
        journal.closeFile()
        journal = try PosixFile.opening(journalPath, flags: O_RDWR | O_APPEND | O_CREAT)
        journalOffset = 0
        journalLines = 0
        try readJournal(holdingLock: holdingLock)
    }

    private func reloadAfterFailure() {
        do {
            try loadFromDisk(holdingLock: true)
        } catch let error as TaskworksError {
            broken = error
        } catch {
            broken = .storageFailure("\(error)")
        }
    }

    // MARK: - Compaction

    /// Starts a new generation when the journal outgrew the snapshot: writes the whole state to
    /// a temporary snapshot, `fsync`s it, creates the next journal, marks the rotation at the end
    /// of the current journal, renames the snapshot into place and `fsync`s the directory. A
    /// crash at any step leaves files that open to the same state.
    private func compactIfNeeded() {
        guard journalOffset >= options.compactionThreshold, journalOffset >= snapshotBytes else { return }
        let next = generation + 1
        let temporaryPath = path(FileStoreFormat.snapshotTemporaryFile, in: directory)
        let nextJournalPath = path(FileStoreFormat.journalFile(next), in: directory)
        do {
            let records = index.allRecords
            var bytes = [UInt8](
                try encoder.encode(
                    FileStoreFormat.SnapshotHeader(
                        format: FileStoreFormat.formatName, version: FileStoreFormat.version,
                        generation: next,
                        tasks: records.count)))
            bytes.append(UInt8(ascii: "\n"))
            for record in records {
                TaskRecordJSON.appendRecord(record, to: &bytes)
                bytes.append(UInt8(ascii: "\n"))
            }
            let temporary = try PosixFile.opening(temporaryPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
            defer { temporary.closeFile() }
            try temporary.append(bytes)
            try temporary.sync()
            let nextJournal = try PosixFile.opening(nextJournalPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
            nextJournal.closeFile()
            try PosixFile.syncDirectory(directory)
            var rotation = try encoder.encode(FileStoreFormat.JournalLine(rotate: next))
            rotation.append(UInt8(ascii: "\n"))
            try journal.append([UInt8](rotation))
            try journal.sync()
            snapshotBytes = bytes.count
        } catch {
            warn("compaction to generation \(next) did not finish (\(error)); the journal keeps growing")
            try? FileManager.default.removeItem(atPath: temporaryPath)
            return
        }
        // The rotation is written: from here on every process moves to the next journal.
        let oldJournalPath = journal.path
        do {
            try switchJournal(to: next)
            guard rename(temporaryPath, path(FileStoreFormat.snapshotFile, in: directory)) == 0 else {
                throw PosixFile.failure("rename", temporaryPath)
            }
            try PosixFile.syncDirectory(directory)
            snapshotGeneration = next
            unlink(oldJournalPath)
        } catch {
            warn("compaction to generation \(next): \(error); the store stays readable through the journals")
        }
    }

    // MARK: - Opening

    private static func checkDirectory(_ directory: String, create: Bool) throws {
        try PosixFile.prepareDirectory(
            directory, create: create, role: "store",
            missingAdvice: "create it (mode 0700) or open with Options(createDirectory: true)")
    }

    private static func checkForForeignFiles(_ directory: String) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw TaskworksError.storageFailure("could not list \(directory): \(error)", path: directory)
        }
        if let foreign = names.sorted().first(where: { !FileStoreFormat.isOwnFile($0) }) {
            let foreignPath = path(foreign, in: directory)
            throw TaskworksError.corruptStore(
                "\(foreignPath) is not a Taskworks file store file; give the store a directory of its own "
                    + "(empty, or written only by a FileTaskStore). Nothing was changed",
                path: foreignPath)
        }
    }

    /// Makes an empty store: generation 1 with no tasks. Ordered so that a crash at any step
    /// leaves either no store (nothing, a `lock`, a `snapshot.json.tmp`, or an empty
    /// `journal-1.jsonl` from an older build's interrupted first open: all replaced here) or an
    /// empty store (`snapshot.json` in place; its journal is created on load).
    private static func initialize(_ directory: String) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for journal in names.sorted() where FileStoreFormat.generation(ofJournal: journal) != nil {
            let journalPath = path(journal, in: directory)
            let isLeftoverOfFirstOpen =
                journal == FileStoreFormat.journalFile(1)
                && ((try? FileManager.default.attributesOfItem(atPath: journalPath)[.size] as? Int) ?? nil)
                    == 0
            guard isLeftoverOfFirstOpen else {
                throw TaskworksError.corruptStore(
                    "\(journalPath) exists but \(FileStoreFormat.snapshotFile) is missing; restore the snapshot "
                        + "from a backup. Nothing was changed",
                    path: journalPath)
            }
        }
        chmod(directory, 0o700)
        let header = FileStoreFormat.SnapshotHeader(
            format: FileStoreFormat.formatName, version: FileStoreFormat.version, generation: 1, tasks: 0)
        var bytes = [UInt8](try FileStoreFormat.encoder().encode(header))
        bytes.append(UInt8(ascii: "\n"))
        let temporaryPath = path(FileStoreFormat.snapshotTemporaryFile, in: directory)
        let temporary = try PosixFile.opening(temporaryPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
        defer { temporary.closeFile() }
        try temporary.append(bytes)
        try temporary.sync()
        guard rename(temporaryPath, path(FileStoreFormat.snapshotFile, in: directory)) == 0 else {
            throw PosixFile.failure("rename", temporaryPath)
        }
        try PosixFile.syncDirectory(directory)
    }

    /// Removes what an interrupted compaction left behind. Runs under the lock, so no other
    /// process is compacting; a process still reading an older journal keeps its open descriptor.
    private func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names {
            let stale =
                name == FileStoreFormat.snapshotTemporaryFile
                || FileStoreFormat.generation(ofJournal: name).map {
                    $0 < snapshotGeneration || $0 > generation
                }
                    ?? false
            if stale { unlink(path(name, in: directory)) }
        }
    }

    private func warn(_ message: String) {
        warnings.append(message)
        options.warningHandler(message)
    }

    private static func shortReason(_ error: any Error) -> String {
        String(String(describing: error).prefix(200))
    }
}

private func path(_ name: String, in directory: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
}
