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

/// What a job changed, journaled before its caller hears back.
struct JournalChanges: Sendable {
    /// Tasks as they now stand (journaled as `{"task": …}`).
    var tasks: [TaskRecord] = []
    /// Tasks removed for good (journaled as `{"remove": id}`).
    var removed: [TaskID] = []
    /// Schedules whose last tick moved (journaled as `{"schedule": name, "lastTick": …}`).
    var scheduleTicks: [ScheduleTick] = []
    /// Task types paused or resumed (journaled as `{"taskType": name, "paused": …}`).
    var typePauses: [TaskTypePause] = []
    /// New shared settings (journaled as `{"settings": {…}}`).
    var settings: TaskSettings?

    /// Nothing changed.
    static let none = JournalChanges()

    /// The journal records these changes take.
    var recordCount: Int {
        tasks.count + removed.count + scheduleTicks.count + typePauses.count + (settings == nil ? 0 : 1)
    }

    /// Appends one journal record per change.
    func appendRecords(to bytes: inout [UInt8]) {
        for record in tasks { JournalEntry.appendTask(record, to: &bytes) }
        for id in removed { JournalEntry.appendRemoval(id, to: &bytes) }
        for tick in scheduleTicks { JournalEntry.appendScheduleTick(tick, to: &bytes) }
        for pause in typePauses { JournalEntry.appendTypePause(pause, to: &bytes) }
        if let settings { JournalEntry.appendSettings(settings, to: &bytes) }
    }
}

/// What a job did, and how to answer its caller.
struct FileStoreJobOutcome: Sendable {
    var changes: JournalChanges
    /// Called once: with `nil` when the changes are stored (or there were none), otherwise with
    /// the error that kept them from being stored.
    let complete: @Sendable (TaskworksError?) -> Void
}

/// The state and file I/O of one open ``FileTaskStore``, confined to the store's I/O thread
/// (it is created and used there only, so it needs no locks of its own).
///
/// Every batch of writes runs under the directory's exclusive advisory lock: catch up with the
/// journal (other processes' changes), apply the jobs to the in-memory index, append their
/// changes as one write, then hand the journal to the sync thread, which `fsync`s once for the
/// whole batch (group commit) and answers the callers. A failed append is truncated away and the
/// index is reloaded from disk, so memory never runs ahead of what was written.
///
/// Reading is in `FileStoreEngine+Reading.swift`, compaction and the version-1 upgrade in
/// `FileStoreEngine+Compaction.swift`, creating and checking the directory in
/// `FileStoreDirectory.swift`.
final class FileStoreEngine {
    let directory: String
    let options: FileTaskStore.Options
    var index = InMemoryTaskIndex()
    private(set) var warnings: [String] = []
    let lockFile: PosixFile
    var journal: PosixFile
    var generation = 1
    /// The generation of `snapshot.json`; journals from it on hold the changes since.
    var snapshotGeneration = 1
    /// `true` while the loaded snapshot is version 1 (only during an open that upgrades it):
    /// journal records may then be bare version-1 lines.
    var readsVersionOne = false
    /// The format version of the loaded snapshot; below ``FileStoreFormat/version`` the open
    /// upgrades the store.
    var loadedVersion = FileStoreFormat.version
    /// Bytes of the current journal that are applied to the index.
    var journalOffset = 0
    /// Records of the current journal applied so far (for error messages).
    var journalLines = 0
    var snapshotBytes = 0
    private var unsyncedSince: ContinuousClock.Instant?
    /// Flushes `.synchronous` writes off this thread and answers their callers.
    private let syncer = JournalSyncer()
    /// When this store last claimed for a pool. While pools claim, batches are flushed on the
    /// sync thread so the next claim need not wait for the disk; otherwise (creates alone, say)
    /// right here, which spares each caller a thread hand-off.
    private var lastClaim: ContinuousClock.Instant?
    private static let claimsAreRecent = Duration.milliseconds(100)
    /// Set when a journal turned out corrupt while running: every later job fails with it.
    var broken: TaskworksError?

    let decoder = JSONDecoder()

    /// Opens the store: takes the lock, creates an empty store in an empty directory, loads the
    /// snapshot and journals without changing a byte, checks for orphan journals, and only then
    /// drops a torn last record, removes what an interrupted compaction left and upgrades a
    /// version-1 store. Any error before that leaves every file as it was.
    init(directory: String, options: FileTaskStore.Options) throws {
        self.directory = directory
        self.options = options
        try FileStoreDirectory.check(directory, create: options.createDirectory)
        let lock = try PosixFile.opening(
            FileStoreDirectory.path(FileStoreFormat.lockFile, in: directory), flags: O_RDWR | O_CREAT)
        do {
            try lock.lockExclusive()
            try FileStoreDirectory.checkForForeignFiles(directory)
            let snapshotPath = FileStoreDirectory.path(FileStoreFormat.snapshotFile, in: directory)
            if !FileManager.default.fileExists(atPath: snapshotPath) {
                try FileStoreDirectory.initialize(directory)
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
        try loadFromDisk(holdingLock: false)
        try FileStoreDirectory.checkForOrphanJournals(directory, after: generation)
        try readJournal(holdingLock: true)  // drops a torn last record, with a warning
        FileStoreDirectory.removeLeftovers(directory, keeping: snapshotGeneration...generation)
        if loadedVersion < FileStoreFormat.version { try upgrade() }
    }

    deinit {
        journal.closeFile()
        lockFile.closeFile()
    }

    // MARK: - The I/O loop

    /// Drains `queue` until it is closed, then syncs and returns.
    /// Drops every task held in memory (after ``run(_:)`` ended: nothing reads the index then).
    func releaseIndex() {
        index = InMemoryTaskIndex()
    }

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
        // held only for the last few records, the apply and the append.
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
        var bytes: [UInt8] = []
        for job in writes {
            let outcome = job.execute(&index)
            if job.kind == .claim { lastClaim = .now }
            outcome.changes.appendRecords(to: &bytes)
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
                // Synced, so that no later record that reaches the disk can have this batch's
                // bytes after it.
                if (try? journal.truncate(to: journalOffset)) != nil { try? journal.syncAll() }
                reloadAfterFailure()
                for outcome in outcomes { outcome.complete(failure) }
                return
            }
            journalOffset += bytes.count
            journalLines += outcomes.reduce(0) { $0 + $1.changes.recordCount }
            compactIfNeeded()
            lockFile.unlock()
            locked = false
            // Claims are answered now (see `FileStoreJob.Kind.claim`); the rest once flushed.
            for (job, outcome) in zip(writes, outcomes) where job.kind == .claim { outcome.complete(nil) }
            outcomes = zip(writes, outcomes).filter { $0.0.kind != .claim }.map(\.1)
            if options.durability == .synchronous {
                // Answered by the sync thread once the journal is flushed (a failed flush reports
                // its error; the bytes stay, as other processes may have read them already).
                if let lastClaim, ContinuousClock.now - lastClaim < FileStoreEngine.claimsAreRecent {
                    syncer.sync(journal, then: outcomes.map(\.complete))
                } else {
                    let failure = JournalSyncer.syncHere(journal)
                    for outcome in outcomes { outcome.complete(failure) }
                }
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

    func warn(_ message: String) {
        warnings.append(message)
        if let handler = options.warningHandler {
            handler(message)
        } else {
            options.diagnostics.emit(
                .warning, message, metadata: ["component": "file-store", "store.path": directory])
        }
    }
}
