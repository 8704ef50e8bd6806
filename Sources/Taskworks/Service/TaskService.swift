import Foundation
import Synchronization

/// The one way host code creates and manages tasks. Every call names its ``Caller``, and
/// per-creator visibility is enforced here: a user sees and touches only the tasks they created;
/// anyone else's task is ``TaskworksError/Code/taskNotFound``, the same error and message as
/// for an id that does not exist.
///
/// Safe to share across the whole app; every method may be called concurrently. State changes
/// are compare-and-set writes on the store, so concurrent calls (and workers in other processes
/// sharing a store) never lose an update.
///
/// ```swift
/// let service = TaskService(store: InMemoryTaskStore(), registry: registry)
/// let task = try await service.create(
///     "resize_image", payload: Resize(width: 640), options: .init(priority: 7),
///     createdBy: .user("alice"))
/// let page = try await service.list(TaskQuery(statuses: [.pending]), as: .user("alice"))
/// ```
public final class TaskService: Sendable {
    /// Service settings.
    public struct Configuration: Sendable {
        /// Called when a completion callback throws. Default: writes a line to standard error.
        public var callbackErrorHandler: @Sendable (TaskRecord, any Error) -> Void
        /// Recent tasks: created within this window, or still active. Default 24 hours.
        public var recentWindow: Duration
        /// The most recent tasks returned. Default 10.
        public var recentLimit: Int

        /// Makes the default configuration.
        public init() {
            self.callbackErrorHandler = { task, error in
                let line =
                    "taskworks: completion callback for task \(task.id) (\(task.type)) threw: \(error)\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
            self.recentWindow = .seconds(24 * 60 * 60)
            self.recentLimit = 10
        }
    }

    /// The store this service reads and writes.
    public let store: any TaskStore
    /// The registry of task types.
    public let registry: TaskRegistry
    /// The clock stamped on every stored date.
    public let clock: any TaskClock
    /// Where runners' artifacts are stored, if anywhere.
    public let artifacts: (any ArtifactStore)?
    let configuration: Configuration
    let events = TaskEventBroadcaster()
    let callbacks: CompletionDispatcher
    private let perTaskCallbacks = LockedState<[TaskID: TaskCompletionHandler]>([:])
    /// Pools in this process to wake when work appears, with the date it becomes due.
    private let wakeTargets = LockedState<[ObjectIdentifier: @Sendable (Date?) -> Void]>([:])
    /// The pools running in this process, asked for a running task's context on cancel.
    private let runningTaskLookups = LockedState<[ObjectIdentifier: @Sendable (TaskID) -> TaskContext?]>([:])
    /// Moves on every cancel of a running task made through this service; pools compare it
    /// across a claim to catch a cancel that raced the claim.
    let cancelEpoch = Atomic<Int>(0)
    /// How many per-task completion closures wait, so terminal writes skip the lock when none do.
    private let pendingCallbackCount = Atomic<Int>(0)

    /// How often a compare-and-set write is retried against concurrent writers before giving up
    /// with ``TaskworksError/Code/contention``.
    static let maximumWriteAttempts = 64

    /// Makes a service over `store`, running the types in `registry`.
    public init(
        store: any TaskStore, registry: TaskRegistry, artifacts: (any ArtifactStore)? = nil,
        clock: any TaskClock = SystemTaskClock(), configuration: Configuration = Configuration()
    ) {
        self.store = store
        self.registry = registry
        self.artifacts = artifacts
        self.clock = clock
        self.configuration = configuration
        self.callbacks = CompletionDispatcher(errorHandler: configuration.callbackErrorHandler)
    }

    // MARK: - Create

    /// Creates a pending task of a registered type with a payload.
    ///
    /// - Parameters:
    ///   - type: A type name registered in the ``registry``.
    ///   - payload: Any `Encodable` value; stored as JSON and given to the runner.
    ///   - options: Retries, priority, timeout, start date; unset values come from the type's
    ///     defaults.
    ///   - createdBy: Who creates it; recorded as its creator for visibility.
    ///   - onComplete: Called exactly once when the task reaches a terminal state in this
    ///     process, after that state is stored. It is not called when the task finishes in
    ///     another process sharing the store.
    /// - Throws: ``TaskworksError/Code/unknownTaskType``, or ``TaskworksError/Code/invalidInput``
    ///   for an unencodable or refused payload, out-of-range options, or an unusable caller id.
    @discardableResult
    public func create(
        _ type: String, payload: some Encodable & Sendable, options: TaskOptions = TaskOptions(),
        createdBy: Caller, onComplete: TaskCompletionHandler? = nil
    ) async throws -> TaskRecord {
        try await submit(
            type, json: try JSONValue(encoding: payload), options: options, createdBy: createdBy,
            onComplete: onComplete
        ).task
    }

    /// Creates a pending task of a registered type without a payload.
    ///
    /// - Throws: as ``create(_:payload:options:createdBy:onComplete:)``.
    @discardableResult
    public func create(
        _ type: String, options: TaskOptions = TaskOptions(), createdBy: Caller,
        onComplete: TaskCompletionHandler? = nil
    ) async throws -> TaskRecord {
        try await submit(type, json: nil, options: options, createdBy: createdBy, onComplete: onComplete).task
    }

    /// Creates a task like ``create(_:payload:options:createdBy:onComplete:)`` and says whether it
    /// did: when ``TaskOptions/uniqueKey`` is held by a pending or running task, nothing is created
    /// and that task comes back with ``TaskCreation/isDuplicate`` set (its `onComplete` is not
    /// attached to the existing task).
    ///
    /// ```swift
    /// let creation = try await service.submit(
    ///     "rebuild_index", payload: Rebuild(), options: .init(uniqueKey: "rebuild-index"), createdBy: .system)
    /// if creation.isDuplicate { print("already queued:", creation.task.id) }
    /// ```
    ///
    /// - Throws: as ``create(_:payload:options:createdBy:onComplete:)``.
    public func submit(
        _ type: String, payload: some Encodable & Sendable, options: TaskOptions = TaskOptions(),
        createdBy: Caller, onComplete: TaskCompletionHandler? = nil
    ) async throws -> TaskCreation {
        try await submit(
            type, json: try JSONValue(encoding: payload), options: options, createdBy: createdBy,
            onComplete: onComplete)
    }

    /// ``submit(_:payload:options:createdBy:onComplete:)`` without a payload.
    public func submit(
        _ type: String, options: TaskOptions = TaskOptions(), createdBy: Caller,
        onComplete: TaskCompletionHandler? = nil
    ) async throws -> TaskCreation {
        try await submit(type, json: nil, options: options, createdBy: createdBy, onComplete: onComplete)
    }

    func submit(
        _ type: String, json: JSONValue?, options: TaskOptions, createdBy caller: Caller,
        onComplete: TaskCompletionHandler?
    ) async throws -> TaskCreation {
        let caller = try caller.validated()
        guard let entry = registry.entry(for: type) else {
            throw TaskworksError.unknownTaskType(type, known: registry.typeNames)
        }
        let priority = options.priority ?? entry.defaults.priority
        let maxRetries = options.maxRetries ?? entry.defaults.maxRetries
        let timeout = options.timeout ?? entry.defaults.timeout
        try TaskTypeDefaults.checkPriority(priority, context: "priority")
        try TaskTypeDefaults.checkRetries(maxRetries, context: "maxRetries")
        try TaskTypeDefaults.checkTimeout(timeout, context: "timeout")
        let now = clock.now()
        try options.checkScheduling(now: now)
        try json?.checkStorable("the payload for task type '\(type)'")
        do {
            try entry.factory.validatePayload(json)
        } catch let error as TaskworksError {
            throw error
        } catch {
            throw TaskworksError.invalidInput("the payload for task type '\(type)' was refused: \(error)")
        }
        let runAfter = options.runAfter ?? options.delay.map { now.addingTimeInterval($0.timeInterval) }
        let record = TaskRecord(
            type: type, priority: priority, payload: json, createdBy: caller.creatorID,
            maxRetries: maxRetries, timeout: timeout, runAfter: runAfter, uniqueKey: options.uniqueKey,
            createdAt: now)
        // Registered before the insert so a worker that finishes the task at once finds it.
        if let onComplete { addCallback(onComplete, for: record.id) }
        let stored: TaskRecord
        do {
            stored = try await store.insert(record)
        } catch {
            if onComplete != nil { _ = takeCallback(for: record.id) }
            throw error
        }
        guard stored.id == record.id else {
            if onComplete != nil { _ = takeCallback(for: record.id) }
            return TaskCreation(task: stored, isDuplicate: true)
        }
        events.publish(.created, stored)
        wakeWorkers(dueAt: stored.runAfter > now ? stored.runAfter : nil)
        return TaskCreation(task: stored, isDuplicate: false)
    }

    // MARK: - Read

    /// The task with this id, if `caller` may see it.
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound`` when it does not exist, is deleted, or
    ///   belongs to another user.
    public func task(_ id: TaskID, as caller: Caller) async throws -> TaskRecord {
        let caller = try caller.validated()
        guard let task = try await store.task(id: id), caller.canSee(task) else {
            throw TaskworksError.taskNotFound(id)
        }
        return task
    }

    /// One page of the tasks `caller` may see that match `query`, plus the total count.
    /// For a user, `query.createdBy` is replaced by the user's own id.
    ///
    /// - Throws: ``TaskworksError/Code/invalidQuery`` for a page below 1, a page size outside
    ///   1–100, or inconsistent filters.
    public func list(_ query: TaskQuery, as caller: Caller) async throws -> TaskPage {
        let caller = try caller.validated()
        try query.validate()
        var query = query
        if !caller.seesEveryTask { query.createdBy = caller.creatorID }
        return try await store.query(query)
    }

    /// Up to 10 (``Configuration/recentLimit``) of the caller's own tasks that were created in
    /// the last 24 hours or are still pending or running, newest first. For an admin or the
    /// system, "own" means created by that admin id or by the system.
    public func recentTasks(for caller: Caller) async throws -> [TaskRecord] {
        let caller = try caller.validated()
        let since = clock.now().addingTimeInterval(-configuration.recentWindow.timeInterval)
        return try await store.recentTasks(
            createdBy: caller.creatorID, createdSince: since, limit: configuration.recentLimit)
    }

    /// Task counts per status and per type over the tasks `caller` may see.
    public func counts(for caller: Caller) async throws -> TaskCounts {
        let caller = try caller.validated()
        return try await store.counts(createdBy: caller.seesEveryTask ? nil : caller.creatorID)
    }

    /// The artifact of a task `caller` may see.
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound`` as ``task(_:as:)``;
    ///   ``TaskworksError/Code/artifactNotFound`` when the task has no artifact.
    public func artifact(of id: TaskID, as caller: Caller) async throws -> TaskArtifact {
        let task = try await task(id, as: caller)
        guard let artifact = task.artifact else {
            throw TaskworksError(
                code: .artifactNotFound,
                message: "task \(id) has no artifact (it has not succeeded, or its runner attached none)",
                taskID: id)
        }
        return artifact
    }

    /// Opens the artifact of a task `caller` may see: its name, content type, size and bytes.
    ///
    /// ```swift
    /// let download = try await service.openArtifact(of: id, as: .user("alice"))
    /// for try await chunk in download.bytes { try output.write(contentsOf: chunk) }
    /// ```
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound`` as ``task(_:as:)``;
    ///   ``TaskworksError/Code/artifactNotFound`` when the task has no artifact in this service's
    ///   ``ArtifactStore``.
    public func openArtifact(of id: TaskID, as caller: Caller) async throws -> ArtifactDownload {
        let artifact = try await artifact(of: id, as: caller)
        guard let artifacts, let key = try? ArtifactKey(validating: artifact.key) else {
            throw TaskworksError(
                code: .artifactNotFound,
                message: "task \(id)'s artifact is not kept in this service's artifact store", taskID: id)
        }
        let size = try await artifacts.size(of: key)
        return ArtifactDownload(artifact: artifact, size: size, bytes: try await artifacts.read(key))
    }

    /// Removes artifacts no stored task refers to any more (best effort: a failure is written to
    /// standard error, and the file stays).
    func discardArtifacts(_ keys: [ArtifactKey]) async {
        guard let artifacts else { return }
        for key in keys {
            do {
                try await artifacts.delete(key)
            } catch {
                FileHandle.standardError.write(
                    Data("taskworks: could not remove artifact \(key): \(error)\n".utf8))
            }
        }
    }

    /// The framework-made artifact key of `artifact`, if it has one.
    func ownedKey(_ artifact: TaskArtifact?) -> ArtifactKey? {
        artifact.flatMap { try? ArtifactKey(validating: $0.key) }
    }

    /// A stream of events about the tasks `caller` may see: created, started, progress,
    /// retries, finished, deleted. Any number of streams may be open; each keeps the newest
    /// `bufferSize` events when its consumer falls behind. End it by cancelling the task that
    /// iterates it.
    public func events(for caller: Caller, bufferSize: Int = 1024) throws -> AsyncStream<TaskEvent> {
        let caller = try caller.validated()
        return events.subscribe(caller, bufferSize: max(1, bufferSize))
    }

    /// Returns once every completion callback started so far has returned.
    public func waitForCallbacks() async {
        await callbacks.waitUntilIdle()
    }

    // MARK: - Internal plumbing shared with the worker pool

    /// Reads, transforms and writes one task with compare-and-set until it sticks.
    ///
    /// `transform` gets the current copy and returns the copy to store with the event to
    /// publish, or `nil` when nothing needs writing (the current copy is then returned).
    func mutate(
        _ id: TaskID, startingFrom known: TaskRecord? = nil,
        _ transform: (TaskRecord) throws -> (TaskRecord, TaskEvent.Kind?)?
    ) async throws -> TaskRecord {
        try await mutateReportingWrite(id, startingFrom: known, transform).record
    }

    /// ``mutate(_:startingFrom:_:)`` that also says whether it wrote.
    func mutateReportingWrite(
        _ id: TaskID, startingFrom known: TaskRecord? = nil,
        _ transform: (TaskRecord) throws -> (TaskRecord, TaskEvent.Kind?)?
    ) async throws -> (record: TaskRecord, wrote: Bool) {
        var current = known
        for _ in 0..<TaskService.maximumWriteAttempts {
            let task: TaskRecord
            if let current {
                task = current
            } else if let fetched = try await store.task(id: id) {
                task = fetched
            } else {
                throw TaskworksError.taskNotFound(id)
            }
            guard let (next, event) = try transform(task) else { return (task, false) }
            switch try await store.update(next, expectedVersion: task.version) {
            case .updated(let stored):
                didStore(stored, replacing: task, event: event)
                return (stored, true)
            case .conflict(let newer):
                current = newer
            case .notFound:
                throw TaskworksError.taskNotFound(id)
            }
        }
        throw TaskworksError(
            code: .contention,
            message: "task \(id) kept changing under \(TaskService.maximumWriteAttempts) write attempts; "
                + "try again", taskID: id)
    }

    /// Publishes the event and, when the task just became terminal, starts its callbacks.
    func didStore(_ stored: TaskRecord, replacing previous: TaskRecord, event: TaskEvent.Kind?) {
        if let event { events.publish(event, stored) }
        guard stored.status.isTerminal, !previous.status.isTerminal else { return }
        var handlers = registry.hasObservers ? registry.observers(for: stored.type) : []
        if pendingCallbackCount.load(ordering: .sequentiallyConsistent) > 0,
            let own = takeCallback(for: stored.id)
        {
            handlers.insert(own, at: 0)
        }
        callbacks.dispatch(stored, to: handlers)
    }

    private func addCallback(_ callback: @escaping TaskCompletionHandler, for id: TaskID) {
        perTaskCallbacks.withLock { $0[id] = callback }
        pendingCallbackCount.add(1, ordering: .sequentiallyConsistent)
    }

    private func takeCallback(for id: TaskID) -> TaskCompletionHandler? {
        let callback = perTaskCallbacks.withLock { $0.removeValue(forKey: id) }
        if callback != nil { pendingCallbackCount.subtract(1, ordering: .sequentiallyConsistent) }
        return callback
    }

    /// Wakes this process's pools: work is claimable now, or (with `due`) from that date.
    func wakeWorkers(dueAt due: Date? = nil) {
        let targets = wakeTargets.withLock { Array($0.values) }
        for target in targets { target(due) }
    }

    func addWakeTarget(_ owner: AnyObject, _ wake: @escaping @Sendable (Date?) -> Void) {
        wakeTargets.withLock { $0[ObjectIdentifier(owner)] = wake }
    }

    func removeWakeTarget(_ owner: AnyObject) {
        wakeTargets.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(owner)) }
    }

    func addRunningTaskLookup(_ owner: AnyObject, _ lookup: @escaping @Sendable (TaskID) -> TaskContext?) {
        runningTaskLookups.withLock { $0[ObjectIdentifier(owner)] = lookup }
    }

    func removeRunningTaskLookup(_ owner: AnyObject) {
        runningTaskLookups.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(owner)) }
    }

    /// The context of a task running in one of this process's pools, if any.
    func runningContext(_ id: TaskID) -> TaskContext? {
        let lookups = runningTaskLookups.withLock { Array($0.values) }
        return lookups.lazy.compactMap { $0(id) }.first
    }
}
