import Foundation

extension TaskService {
    /// Applies `transition` to task `id` with compare-and-set, for a caller who sees it and may
    /// do `operation`: the one path every caller-driven change (cancel, retry, delete, pause,
    /// resume) takes, so visibility and the policy are checked on every attempt against the
    /// current copy. `transition` gets the task and the service clock's time, and returns what to
    /// store and the event, or `nil`.
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound`` when it does not exist or `caller` may not
    ///   see it; ``TaskworksError/Code/permissionDenied`` when the policy refuses; what
    ///   `transition` throws.
    func changeVisibleTask(
        _ id: TaskID, as caller: Caller, for operation: TaskOperation,
        _ transition: (TaskRecord, Date) throws -> (TaskRecord, TaskEvent.Kind?)?
    ) async throws -> TaskRecord {
        let caller = try caller.validated()
        let now = clock.now()
        return try await engine.mutate(id) { task in
            guard isVisible(task, to: caller) else { throw TaskworksError.taskNotFound(id) }
            try authorize(operation, as: caller, on: task)
            return try transition(task, now)
        }
    }

    /// Cancels a task `caller` may see. A pending task is `cancelled` at once; a running task's
    /// runner is asked to stop (in this process at once, in another within one lease renewal)
    /// and the task then ends `cancelled`, even if the runner finishes its work first.
    ///
    /// - Returns: The task as stored after the request.
    /// - Throws: ``TaskworksError/Code/taskNotFound``; ``TaskworksError/Code/permissionDenied``;
    ///   ``TaskworksError/Code/invalidTransition`` for a task that already finished.
    @discardableResult
    public func cancel(_ id: TaskID, as caller: Caller) async throws -> TaskRecord {
        let stored = try await changeVisibleTask(id, as: caller, for: .cancel) { task, now in
            guard let next = try TaskTransitions.cancel(task, now: now) else { return nil }
            return (next, next.status == .cancelled ? .finished : .cancelRequested)
        }
        if stored.status == .running { engine.pools.stopRunner(of: id) }
        return stored
    }

    /// Puts a failed or cancelled task back to pending with its error, result, progress and
    /// artifact cleared (the artifact's file is removed from the ``ArtifactStore``) and its
    /// attempts reset; ``TaskRecord/manualRetries`` counts these.
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound``; ``TaskworksError/Code/permissionDenied``;
    ///   ``TaskworksError/Code/invalidTransition`` unless the task is failed or cancelled.
    @discardableResult
    public func retry(_ id: TaskID, as caller: Caller) async throws -> TaskRecord {
        var previousArtifact: TaskArtifact?
        let stored = try await changeVisibleTask(id, as: caller, for: .retry) { task, now in
            previousArtifact = task.artifact
            return (try TaskTransitions.retry(task, now: now), .retried)
        }
        engine.pools.wake()
        if let key = engine.ownedKey(previousArtifact) { await engine.discardArtifacts([key]) }
        return stored
    }

    /// Soft-deletes a task `caller` may see: it is hidden from every read from now on and its
    /// artifact's file is removed. A pending task is cancelled first; a running one is asked to
    /// stop and ends `cancelled`.
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound``; ``TaskworksError/Code/permissionDenied``.
    public func delete(_ id: TaskID, as caller: Caller) async throws {
        let stored = try await changeVisibleTask(id, as: caller, for: .delete) { task, now in
            (TaskTransitions.delete(task, now: now), .deleted)
        }
        if stored.status == .running { engine.pools.stopRunner(of: id) }
        if let key = engine.ownedKey(stored.artifact) { await engine.discardArtifacts([key]) }
    }

    /// Rescues running tasks whose lease expired (their worker crashed or hung): each goes back
    /// to pending while attempts remain, otherwise ends failed with a message saying why; a task
    /// with a cancel request ends cancelled. Worker pools call this every poll; call it yourself
    /// when no pool runs.
    ///
    /// - Returns: How many tasks were rescued.
    @discardableResult
    public func rescueExpiredLeases(limit: Int = 100) async throws -> Int {
        try await engine.rescueExpiredLeases(limit: limit)
    }

    /// Removes for good what `policy` no longer keeps — finished tasks past their age, deleted
    /// tasks past their grace period — with their artifacts, in batches of ``RetentionPolicy/batchSize``,
    /// stopping after `maximumBatches`. A task retried or changed meanwhile stays. Worker pools
    /// with ``WorkerPool/Configuration/retention`` set call this every ``RetentionPolicy/interval``.
    ///
    /// - Returns: How many tasks were removed.
    @discardableResult
    public func pruneTasks(_ policy: RetentionPolicy, maximumBatches: Int = 10) async throws -> Int {
        try await engine.pruneTasks(policy, maximumBatches: maximumBatches)
    }
}
