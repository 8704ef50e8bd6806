import Foundation

extension TaskService {
    /// Cancels a task `caller` may see. A pending task is `cancelled` at once; a running task's
    /// runner is asked to stop (in this process at once, in another within one lease renewal)
    /// and the task then ends `cancelled`, even if the runner finishes its work first.
    ///
    /// - Returns: The task as stored after the request.
    /// - Throws: ``TaskworksError/Code/taskNotFound``; ``TaskworksError/Code/invalidTransition``
    ///   for a task that already finished.
    @discardableResult
    public func cancel(_ id: TaskID, as caller: Caller) async throws -> TaskRecord {
        let caller = try caller.validated()
        let now = clock.now()
        let stored = try await mutate(id) { task in
            guard caller.canSee(task) else { throw TaskworksError.taskNotFound(id) }
            guard let next = try TaskTransitions.cancel(task, now: now) else { return nil }
            return (next, next.status == .cancelled ? .finished : .cancelRequested)
        }
        if stored.status == .running { stopRunner(of: id) }
        return stored
    }

    /// Stops the runner of a task whose cancel was just stored, if it runs in this process. The
    /// counter moves first so that a pool which claimed the task but has not registered its
    /// runner yet sees it moved and reads the task again before starting it (see
    /// `WorkerPool.mayStart`): either the lookup finds the runner or the pool finds the cancel.
    private func stopRunner(of id: TaskID) {
        cancelEpoch.add(1, ordering: .sequentiallyConsistent)
        runningContext(id)?.requestStop(.cancelRequested)
    }

    /// Puts a failed or cancelled task back to pending with its error, result, progress and
    /// artifact cleared (the artifact's file is removed from the ``ArtifactStore``) and its
    /// attempts reset; ``TaskRecord/manualRetries`` counts these.
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound``; ``TaskworksError/Code/invalidTransition``
    ///   unless the task is failed or cancelled.
    @discardableResult
    public func retry(_ id: TaskID, as caller: Caller) async throws -> TaskRecord {
        let caller = try caller.validated()
        let now = clock.now()
        var previousArtifact: TaskArtifact?
        let stored = try await mutate(id) { task in
            guard caller.canSee(task) else { throw TaskworksError.taskNotFound(id) }
            previousArtifact = task.artifact
            return (try TaskTransitions.retry(task, now: now), .retried)
        }
        wakeWorkers()
        if let key = ownedKey(previousArtifact) { await discardArtifacts([key]) }
        return stored
    }

    /// Soft-deletes a task `caller` may see: it is hidden from every read from now on and its
    /// artifact's file is removed. A pending task is cancelled first; a running one is asked to
    /// stop and ends `cancelled`.
    ///
    /// - Throws: ``TaskworksError/Code/taskNotFound``.
    public func delete(_ id: TaskID, as caller: Caller) async throws {
        let caller = try caller.validated()
        let now = clock.now()
        let stored = try await mutate(id) { task in
            guard caller.canSee(task) else { throw TaskworksError.taskNotFound(id) }
            return (TaskTransitions.delete(task, now: now), .deleted)
        }
        if stored.status == .running { stopRunner(of: id) }
        if let key = ownedKey(stored.artifact) { await discardArtifacts([key]) }
    }

    /// Rescues running tasks whose lease expired (their worker crashed or hung): each goes back
    /// to pending while attempts remain, otherwise ends failed with a message saying why; a task
    /// with a cancel request ends cancelled. Worker pools call this every poll; call it yourself
    /// when no pool runs.
    ///
    /// - Returns: How many tasks were rescued.
    @discardableResult
    public func rescueExpiredLeases(limit: Int = 100) async throws -> Int {
        let now = clock.now()
        var rescued = 0
        for expired in try await store.expiredLeases(at: now, limit: limit) {
            let (_, wrote) = try await mutateReportingWrite(expired.id, startingFrom: expired) { task in
                guard let next = TaskTransitions.rescue(task, now: now) else { return nil }
                return (next, next.status.isTerminal ? .finished : .requeued)
            }
            if wrote { rescued += 1 }
        }
        if rescued > 0 { wakeWorkers() }
        return rescued
    }

    /// Removes for good what `policy` no longer keeps — finished tasks past their age, deleted
    /// tasks past their grace period — with their artifacts, in batches of ``RetentionPolicy/batchSize``,
    /// stopping after `maximumBatches`. A task retried or changed meanwhile stays. Worker pools
    /// with ``WorkerPool/Configuration/retention`` set call this every ``RetentionPolicy/interval``.
    ///
    /// - Returns: How many tasks were removed.
    @discardableResult
    public func pruneTasks(_ policy: RetentionPolicy, maximumBatches: Int = 10) async throws -> Int {
        try policy.validate()
        let now = clock.now()
        let criteria = RemovalCriteria(
            finishedBefore: now.addingTimeInterval(-policy.keepFinishedFor.timeInterval),
            finishedBeforeByType: policy.keepFinishedForByType.mapValues {
                now.addingTimeInterval(-$0.timeInterval)
            },
            deletedBefore: now.addingTimeInterval(-policy.keepDeletedFor.timeInterval))
        var removed = 0
        for _ in 0..<maximumBatches {
            let batch = try await store.removableTasks(criteria, limit: policy.batchSize)
            guard !batch.isEmpty else { break }
            let count = try await store.remove(batch)
            removed += count
            // Artifacts of tasks that stayed (changed meanwhile) are still referenced: keep them.
            var survivors = Set<TaskID>()
            if count < batch.count {
                for task in batch where try await store.task(id: task.id) != nil { survivors.insert(task.id) }
            }
            await discardArtifacts(
                batch.filter { !survivors.contains($0.id) }.compactMap { ownedKey($0.artifact) })
            if count == 0 { break }
        }
        return removed
    }
}
