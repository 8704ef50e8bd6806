import Foundation

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
        /// Where Taskworks' own messages go, for this service and the worker pools and
        /// schedulers that serve it. Default ``TaskDiagnostics/standardError``.
        public var diagnostics: TaskDiagnostics
        /// Called when a completion callback throws. Default `nil`: an `error` diagnostic (with
        /// `task.id` and `task.type`) to ``diagnostics``.
        public var callbackErrorHandler: (@Sendable (TaskRecord, any Error) -> Void)?
        /// Recent tasks: created within this window, or still active. Default 24 hours.
        public var recentWindow: Duration
        /// The most recent tasks returned. Default 10.
        public var recentLimit: Int
        /// Where runners' ``TaskContext/log(_:_:metadata:)`` lines go. Default: standard error,
        /// `info` and above, one line each with the task's id and type.
        public var runnerLogHandler: TaskLogHandler
        /// Decides what each caller may do. Default: ``DefaultTaskPolicy``.
        public var authorization: any TaskAuthorizationPolicy
        /// Add metadata to every task this service creates, in order (later ones win on a shared
        /// key; the create call's ``TaskOptions/metadata`` wins over all). Default none.
        public var metadataProviders: [any TaskMetadataProvider]

        /// Makes the default configuration.
        public init() {
            self.diagnostics = .standardError
            self.callbackErrorHandler = nil
            self.recentWindow = .seconds(24 * 60 * 60)
            self.recentLimit = 10
            self.authorization = DefaultTaskPolicy()
            self.metadataProviders = []
            self.runnerLogHandler = { record in
                guard record.level >= .info else { return }
                let line =
                    "taskworks: [\(record.level)] task \(record.metadata["task.id"] ?? "?") "
                    + "(\(record.metadata["task.type"] ?? "?")): \(record.message)\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
    }

    /// The store this service reads and writes. Not public: host code goes through the service,
    /// so every change is checked, published and called back; tests in this package may reach it.
    package var store: any TaskStore { engine.store }
    /// The registry of task types.
    public var registry: TaskRegistry { engine.registry }
    /// The clock stamped on every stored date.
    public var clock: any TaskClock { engine.clock }
    /// Where runners' artifacts are stored, if anywhere.
    public var artifacts: (any ArtifactStore)? { engine.artifacts }
    package let configuration: Configuration
    /// What runs underneath: writes, events, callbacks, this process's pools. Worker pools and
    /// schedulers serving this service use it directly; host code goes through the service.
    let engine: TaskEngine

    /// Makes a service over `store`, running the types in `registry`.
    public init(
        store: any TaskStore, registry: TaskRegistry, artifacts: (any ArtifactStore)? = nil,
        clock: any TaskClock = SystemTaskClock(), configuration: Configuration = Configuration()
    ) {
        self.configuration = configuration
        let diagnostics = configuration.diagnostics
        self.engine = TaskEngine(
            store: store, registry: registry, artifacts: artifacts, clock: clock,
            callbackErrorHandler: configuration.callbackErrorHandler ?? { task, error in
                diagnostics.emit(
                    .error, "a completion callback threw: \(error)",
                    metadata: [
                        "component": "service", "task.id": task.id.description, "task.type": task.type,
                    ])
            },
            runnerLogHandler: configuration.runnerLogHandler, diagnostics: diagnostics,
            metadataProviders: configuration.metadataProviders)
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
    ///   for an unencodable or refused payload, out-of-range options, or an unusable caller id;
    ///   ``TaskworksError/Code/permissionDenied`` when the policy does not let `createdBy` create
    ///   this type.
    @discardableResult
    public func create(
        _ type: String, payload: some Encodable & Sendable, options: TaskOptions = TaskOptions(),
        createdBy: Caller, onComplete: TaskCompletionHandler? = nil
    ) async throws -> TaskRecord {
        try await createReportingDuplicate(
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
        try await createReportingDuplicate(
            type, json: nil, options: options, createdBy: createdBy, onComplete: onComplete
        ).task
    }

    /// Creates a task like ``create(_:payload:options:createdBy:onComplete:)`` and says whether it
    /// did: when ``TaskOptions/uniqueKey`` is held by a pending or running task, nothing is created
    /// and that task comes back with ``TaskCreation/isDuplicate`` set (its `onComplete` is not
    /// attached to the existing task).
    ///
    /// ```swift
    /// let creation = try await service.createReportingDuplicate(
    ///     "rebuild_index", payload: Rebuild(), options: .init(uniqueKey: "rebuild-index"), createdBy: .system)
    /// if creation.isDuplicate { print("already queued:", creation.task.id) }
    /// ```
    ///
    /// - Throws: as ``create(_:payload:options:createdBy:onComplete:)``.
    public func createReportingDuplicate(
        _ type: String, payload: some Encodable & Sendable, options: TaskOptions = TaskOptions(),
        createdBy: Caller, onComplete: TaskCompletionHandler? = nil
    ) async throws -> TaskCreation {
        try await createReportingDuplicate(
            type, json: try JSONValue(encoding: payload), options: options, createdBy: createdBy,
            onComplete: onComplete)
    }

    /// ``createReportingDuplicate(_:payload:options:createdBy:onComplete:)`` without a payload.
    public func createReportingDuplicate(
        _ type: String, options: TaskOptions = TaskOptions(), createdBy: Caller,
        onComplete: TaskCompletionHandler? = nil
    ) async throws -> TaskCreation {
        try await createReportingDuplicate(
            type, json: nil, options: options, createdBy: createdBy, onComplete: onComplete)
    }

    nonisolated(nonsending) package func createReportingDuplicate(
        _ type: String, json: JSONValue?, options: TaskOptions, createdBy caller: Caller,
        onComplete: TaskCompletionHandler?
    ) async throws -> TaskCreation {
        try authorize(.create(taskType: type, permission: registry.creationPermission(for: type)), as: caller)
        return try await engine.create(
            type, json: json, options: options, creatorID: caller.creatorID, onComplete: onComplete)
    }
}
