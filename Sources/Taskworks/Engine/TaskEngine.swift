import Foundation
import Synchronization

/// The machinery under ``TaskService``, ``WorkerPool`` and ``TaskScheduler``: compare-and-set
/// writes, events, completion callbacks, wake-ups of this process's pools and the registry of
/// attempts running here. It enforces no visibility; ``TaskService`` is the façade that does, and
/// the one way host code reaches it.
///
/// The engine is the only code that calls the store: every write of a task's state goes through
/// ``mutate(_:startingFrom:_:)`` (or a creation, claim, rescue or removal here), so every stored
/// change publishes its event and, when the task just became terminal, starts its callbacks; the
/// pool, the scheduler and the service reach claims, settings, paused types and schedule ticks
/// through the engine's methods (`.ci/check-layout` holds them to it).
final class TaskEngine: Sendable {
    /// How often a compare-and-set write is retried against concurrent writers before giving up
    /// with ``TaskworksError/Code/contention``.
    static let maximumWriteAttempts = 64

    let store: any TaskStore
    /// What the store can do beyond its core, discovered once.
    let capabilities: StoreCapabilities
    /// The store's own read model, or ``ScanningTaskReadModel`` over its core.
    var readModel: any TaskReadModel { capabilities.readModel }
    let registry: TaskRegistry
    let clock: any TaskClock
    let artifacts: (any ArtifactStore)?
    let events = TaskEventBroadcaster()
    let callbacks: CompletionDispatcher
    /// Where runners' log lines go.
    let runnerLogHandler: TaskLogHandler
    /// Where Taskworks' own messages go (the service's ``TaskService/Configuration/diagnostics``).
    let diagnostics: TaskDiagnostics
    /// Add metadata to every new task (the service's ``TaskService/Configuration/metadataProviders``).
    let metadataProviders: [any TaskMetadataProvider]
    /// The pools of this process: woken when work appears, asked for running attempts on cancel.
    let pools = LocalPools()
    private let perTaskCallbacks = LockedState<[TaskID: TaskCompletionHandler]>([:])
    /// How many per-task completion closures wait, so terminal writes skip the lock when none do.
    private let pendingCallbackCount = Atomic<Int>(0)

    init(
        store: any TaskStore, registry: TaskRegistry, artifacts: (any ArtifactStore)?, clock: any TaskClock,
        callbackErrorHandler: @escaping CompletionDispatcher.ErrorHandler,
        runnerLogHandler: @escaping TaskLogHandler, diagnostics: TaskDiagnostics = .standardError,
        metadataProviders: [any TaskMetadataProvider] = []
    ) {
        self.metadataProviders = metadataProviders
        self.runnerLogHandler = runnerLogHandler
        self.diagnostics = diagnostics
        self.store = store
        self.capabilities = StoreCapabilities(of: store)
        self.registry = registry
        self.artifacts = artifacts
        self.clock = clock
        self.callbacks = CompletionDispatcher(errorHandler: callbackErrorHandler)
    }

    /// Reads, transforms and writes one task with compare-and-set until it sticks.
    ///
    /// `transform` gets the current copy and returns the copy to store with the event to
    /// publish, or `nil` when nothing needs writing (the current copy is then returned).
    nonisolated(nonsending) func mutate(
        _ id: TaskID, startingFrom known: TaskRecord? = nil,
        _ transform: (TaskRecord) throws -> (TaskRecord, TaskEvent.Kind?)?
    ) async throws -> TaskRecord {
        try await mutateReportingWrite(id, startingFrom: known, transform).record
    }

    /// ``mutate(_:startingFrom:_:)`` that also says whether it wrote.
    nonisolated(nonsending) func mutateReportingWrite(
        _ id: TaskID, startingFrom known: TaskRecord? = nil,
        _ transform: (TaskRecord) throws -> (TaskRecord, TaskEvent.Kind?)?
    ) async throws -> (record: TaskRecord, wrote: Bool) {
        var current = known
        for _ in 0..<TaskEngine.maximumWriteAttempts {
            let task: TaskRecord
            if let current {
                task = current
            } else if let fetched = try await store.task(id: id) {
                task = fetched
            } else {
                throw TaskworksError.taskNotFound(id)
            }
            guard let (proposed, event) = try transform(task) else { return (task, false) }
            // The version the store will give it, set while this is the only reference to the
            // new copy, so the store keeps this copy instead of making another.
            var next = consume proposed
            if next.version != task.version &+ 1 { next.version = task.version &+ 1 }
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
            message: "task \(id) kept changing under \(TaskEngine.maximumWriteAttempts) write attempts; "
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

    func addCallback(_ callback: @escaping TaskCompletionHandler, for id: TaskID) {
        perTaskCallbacks.withLock { $0[id] = callback }
        pendingCallbackCount.add(1, ordering: .sequentiallyConsistent)
    }

    func takeCallback(for id: TaskID) -> TaskCompletionHandler? {
        let callback = perTaskCallbacks.withLock { $0.removeValue(forKey: id) }
        if callback != nil { pendingCallbackCount.subtract(1, ordering: .sequentiallyConsistent) }
        return callback
    }
}
