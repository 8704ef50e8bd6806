import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A durable ``TaskStore`` in one directory of human-readable JSON files: the embedded default
/// for real deployments, with no server to run.
///
/// **Layout.** `snapshot.json` holds every task at some point (a header line, then one task per
/// line); `journal-G.jsonl` holds every change since, one whole task per line. Opening loads the
/// snapshot and replays the journal; when the journal outgrows the snapshot it is compacted into
/// a new snapshot (temporary file, `fsync`, rename, `fsync` of the directory). No change ever
/// rewrites the whole data set.
///
/// **Durability** (``Options/durability``): `.synchronous` (the default) acknowledges a write
/// only once it is on disk, and concurrent writers share one `fsync` (group commit);
/// `.batched(interval)` acknowledges after the write and `fsync`s at most every `interval`;
/// `.none` never `fsync`s (tests, benchmarks). A process killed at any instant loses no
/// acknowledged write in any mode; a machine that loses its power loses none in `.synchronous`
/// mode, and the store opens after it in every mode (<doc:FileStoreDurability>).
///
/// **Several processes** may open the same directory. Writes are serialized by an advisory lock
/// on `lock`; before every write and read a process applies the journal lines written since its
/// last look (only the new bytes), so claims are atomic across processes and a cancel requested
/// in one process reaches a runner in another at its next lease renewal.
///
/// **Threads.** All file I/O runs on one thread per open store; callers only await.
///
/// ```swift
/// let store = try await FileTaskStore(directory: "/var/lib/myapp/tasks",
///                                     options: .init(createDirectory: true))
/// let service = TaskService(store: store, registry: registry)
/// ```
public final class FileTaskStore: TaskStore, TaskReadModel, TaskScheduleTickStore, TaskTypePauseStore,
    TaskSettingsStore
{
    /// When a write counts as done.
    public enum Durability: Sendable, Hashable {
        /// Every acknowledged write is on disk; concurrent writes share one `fsync`.
        case synchronous
        /// Writes are acknowledged once written; an `fsync` follows within this interval.
        /// A machine crash may lose the last interval; a process crash loses nothing.
        case batched(Duration)
        /// Never `fsync`: for tests and benchmarks.
        case none
    }

    /// How to open a store.
    public struct Options: Sendable {
        /// When a write counts as done. Default `.synchronous`.
        public var durability: Durability
        /// Create the directory (mode 0700) when it does not exist. Default `false`: a missing
        /// directory is an error, so a typo never starts an empty queue somewhere else.
        public var createDirectory: Bool
        /// Compact once the journal holds this many bytes and more than the snapshot.
        /// Default 64 MiB.
        public var compactionThreshold: Int
        /// Where warnings go (a torn last line dropped on open, a compaction that failed), as
        /// `warning` diagnostics with `store.path`. Default ``TaskDiagnostics/standardError``;
        /// give it the sink you give the service.
        public var diagnostics: TaskDiagnostics
        /// Receives each warning's text instead of ``diagnostics``, when set. Default `nil`.
        public var warningHandler: (@Sendable (String) -> Void)?
        /// Test hook: when it returns `true`, the next journal append fails as a full disk would.
        var writeFault: (@Sendable () -> Bool)?
        /// How many journal bytes are read at a time (tests make it tiny, so that records span
        /// reads and outgrow them).
        var journalReadChunk = 4 << 20

        /// Makes options.
        public init(
            durability: Durability = .synchronous, createDirectory: Bool = false,
            compactionThreshold: Int = 64 << 20
        ) {
            self.durability = durability
            self.createDirectory = createDirectory
            self.compactionThreshold = compactionThreshold
            self.diagnostics = .standardError
            self.warningHandler = nil
            self.writeFault = nil
        }
    }

    /// The store's directory.
    public let directory: String
    /// Warnings raised while opening (for example a torn last journal line that was dropped).
    public let openWarnings: [String]
    private let jobs: BlockingJobQueue<FileStoreJob>
    /// Raised when the store's thread has ended and let go of the index.
    private let stopped: Latch<Void>

    /// Opens (or, in an empty directory, creates) the store in `directory`.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when the directory is missing or is a
    ///   file; ``TaskworksError/Code/storageFailure`` when it is not writable or I/O fails;
    ///   ``TaskworksError/Code/corruptStore`` naming the file and line when a file is corrupt,
    ///   of another format version, or foreign. Files are never changed by a failed open.
    public init(directory: String, options: Options = Options()) async throws {
        let jobs = BlockingJobQueue<FileStoreJob>()
        let stopped = Latch<Void>()
        let warnings: [String] = try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                defer { stopped.open() }
                let engine: FileStoreEngine
                do {
                    engine = try FileStoreEngine(directory: directory, options: options)
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                continuation.resume(returning: engine.warnings)
                engine.run(jobs)
                engine.releaseIndex()
                FileTaskStore.returnFreedMemory()
            }
            thread.name = "taskworks-file-store"
            thread.start()
        }
        self.directory = directory
        self.jobs = jobs
        self.stopped = stopped
        self.openWarnings = warnings
    }

    deinit {
        jobs.close()
    }

    /// `fsync`s everything written so far and stops the store's thread; later calls fail. Returns
    /// once the thread has ended and the memory of the store's index is released (given back to
    /// the operating system, so a store reopened in the same process does not stack on it).
    public func close() async {
        _ = try? await perform(.sync) { _ in ((), .none) }
        jobs.close()
        await stopped.wait()
    }

    /// Gives memory freed by a closed store back to the operating system. glibc keeps freed
    /// memory in the arena of the thread that allocated it, and the index was built by many
    /// threads, so without this a reopened store's memory comes on top of the closed one's.
    static func returnFreedMemory() {
        #if canImport(Glibc)
            // `int malloc_trim(size_t pad)` is glibc's, but Swift's Glibc module does not import
            // <malloc.h>; it is looked up by name (RTLD_DEFAULT is the null handle) and called
            // with its C signature.
            typealias Trim = @convention(c) (UInt) -> Int32
            if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
                _ = unsafeBitCast(symbol, to: Trim.self)(0)
            }
        #endif
    }

    /// Runs `body` on the I/O thread; for writes, answers only once its changes are stored.
    private func perform<Result: Sendable>(
        _ kind: FileStoreJob.Kind,
        _ body: @escaping @Sendable (inout InMemoryTaskIndex) throws -> (Result, JournalChanges)
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let job = FileStoreJob(
                kind: kind,
                execute: { index in
                    do {
                        let (result, changes) = try body(&index)
                        return FileStoreJobOutcome(changes: changes) { error in
                            if let error {
                                continuation.resume(throwing: error)
                            } else {
                                continuation.resume(returning: result)
                            }
                        }
                    } catch {
                        return FileStoreJobOutcome(changes: .none) { _ in continuation.resume(throwing: error)
                        }
                    }
                },
                fail: { error in continuation.resume(throwing: error) })
            if !jobs.push(job) {
                continuation.resume(
                    throwing: TaskworksError.storageFailure(
                        "the file store at \(directory) is closed; open it again", path: directory))
            }
        }
    }

    /// Stores a new task durably. See ``TaskStore/insert(_:)``.
    public func insert(_ task: TaskRecord) async throws -> TaskRecord {
        try await perform(.write) { index in
            let stored = try index.insert(task)
            return (stored, stored.id == task.id ? JournalChanges(tasks: [stored]) : .none)
        }
    }

    /// Stores many new tasks with one journal write and one flush. See
    /// ``TaskStore/insert(contentsOf:)``. A crash before it returns may keep the batch's first
    /// tasks and not the rest, as an unanswered ``insert(_:)`` may or may not have stored its task.
    public func insert(contentsOf tasks: [TaskRecord]) async throws -> [TaskRecord] {
        guard !tasks.isEmpty else { return [] }
        return try await perform(.write) { index in
            let stored = try index.insert(contentsOf: tasks)
            let new = zip(tasks, stored).compactMap { task, stored in stored.id == task.id ? stored : nil }
            return (stored, JournalChanges(tasks: new))
        }
    }

    /// Reads one task, after applying other processes' changes. See ``TaskStore/task(id:)``.
    public func task(id: TaskID) async throws -> TaskRecord? {
        try await perform(.read) { index in (index.task(id: id), .none) }
    }

    /// Compare-and-set write, atomic across processes. See ``TaskStore/update(_:expectedVersion:)``.
    public func update(_ task: TaskRecord, expectedVersion: UInt64) async throws -> TaskUpdateResult {
        try await perform(.write) { index in
            let result = index.update(task, expectedVersion: expectedVersion)
            if case .updated(let stored) = result { return (result, JournalChanges(tasks: [stored])) }
            return (result, .none)
        }
    }

    /// Atomic claim across processes. See ``TaskStore/claim(_:)``.
    public func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord] {
        guard request.limit > 0 else { return [] }
        return try await perform(.claim) { index in
            let claimed = index.claim(request)
            return (claimed, JournalChanges(tasks: claimed))
        }
    }

    /// Running tasks whose lease ran out. See ``TaskStore/expiredLeases(at:limit:)``.
    public func expiredLeases(at now: Date, limit: Int) async throws -> [TaskRecord] {
        try await perform(.read) { index in (index.expiredLeases(at: now, limit: limit), .none) }
    }

    /// One page of matches. See ``TaskReadModel/query(_:)``.
    public func query(_ query: TaskQuery) async throws -> TaskPage {
        try await perform(.read) { index in (index.query(query), .none) }
    }

    /// Counts per status and type. See ``TaskReadModel/counts(createdBy:)``.
    public func counts(createdBy: String?) async throws -> TaskCounts {
        try await perform(.read) { index in (index.counts(createdBy: createdBy), .none) }
    }

    /// A creator's recent and active tasks. See ``TaskReadModel/recentTasks(createdBy:createdSince:limit:)``.
    public func recentTasks(createdBy: String, createdSince: Date, limit: Int) async throws -> [TaskRecord] {
        try await perform(.read) { index in
            (index.recentTasks(createdBy: createdBy, createdSince: createdSince, limit: limit), .none)
        }
    }

    /// A page of every task in id order, after applying other processes' changes. See
    /// ``TaskStore/scanTasks(after:limit:)``.
    public func scanTasks(after id: TaskID?, limit: Int) async throws -> [TaskRecord] {
        try await perform(.read) { index in (index.scan(after: id, limit: limit), .none) }
    }

    /// Tasks the criteria allow removing. See ``TaskReadModel/removableTasks(_:limit:)``.
    public func removableTasks(_ criteria: RemovalCriteria, limit: Int) async throws -> [TaskRecord] {
        try await perform(.read) { index in (index.removableTasks(criteria, limit: limit), .none) }
    }

    /// Removes tasks for good, version-checked, journaled as `{"remove": id}` lines; the next
    /// compaction leaves them out of the snapshot. See ``TaskStore/remove(_:)``.
    public func remove(_ tasks: [TaskRecord]) async throws -> Int {
        try await perform(.write) { index in
            let removed = index.remove(tasks).map(\.id)
            return (removed.count, JournalChanges(removed: removed))
        }
    }

    /// Records a schedule's tick durably, journaled as `{"schedule": name, "lastTick": …}`. See
    /// ``TaskScheduleTickStore/claimScheduleTick(_:tick:)``.
    public func claimScheduleTick(_ name: String, tick: Date) async throws -> Bool {
        try await perform(.write) { index in
            guard index.claimScheduleTick(name, tick: tick) else { return (false, .none) }
            return (true, JournalChanges(scheduleTicks: [ScheduleTick(name: name, tick: tick)]))
        }
    }

    /// Pauses or resumes a task type durably, journaled as `{"taskType": name, "paused": …}`. See
    /// ``TaskTypePauseStore/setTaskType(_:paused:)``.
    public func setTaskType(_ type: String, paused: Bool) async throws -> Bool {
        try await perform(.write) { index in
            guard index.setTaskType(type, paused: paused) else { return (false, .none) }
            return (true, JournalChanges(typePauses: [TaskTypePause(type: type, paused: paused)]))
        }
    }

    /// The paused task types, after applying other processes' changes. See
    /// ``TaskTypePauseStore/pausedTaskTypes()``.
    public func pausedTaskTypes() async throws -> Set<String> {
        try await perform(.read) { index in (index.pausedTypes, .none) }
    }

    /// The shared settings, after applying other processes' changes. See ``TaskSettingsStore/settings()``.
    public func settings() async throws -> TaskSettings {
        try await perform(.read) { index in (index.settings ?? TaskSettings(), .none) }
    }

    /// Saves the shared settings durably, journaled as `{"settings": {…}}`. See
    /// ``TaskSettingsStore/saveSettings(_:)``.
    public func saveSettings(_ settings: TaskSettings) async throws {
        try settings.validate()
        try await perform(.write) { index in
            index.settings = settings
            return ((), JournalChanges(settings: settings))
        }
    }

    /// A schedule's last tick, after applying other processes' changes. See
    /// ``TaskScheduleTickStore/lastScheduleTick(_:)``.
    public func lastScheduleTick(_ name: String) async throws -> Date? {
        try await perform(.read) { index in (index.scheduleTicks[name], .none) }
    }
}
