import Foundation

extension TaskService {
    /// Pauses a pending task `caller` may see: it is `paused` — kept, counted, holding its unique
    /// key, never claimed — until ``resume(_:as:)``. Pausing a paused task changes nothing.
    ///
    /// - Returns: The task as stored after the request.
    /// - Throws: ``TaskworksError/Code/taskNotFound``; ``TaskworksError/Code/permissionDenied``;
    ///   ``TaskworksError/Code/invalidTransition`` unless the task is pending or paused (cancel a
    ///   running task instead).
    @discardableResult
    public func pause(_ id: TaskID, as caller: Caller) async throws -> TaskRecord {
        try await changeVisibleTask(id, as: caller, for: .pause) { task, now in
            try TaskTransitions.pause(task, now: now).map { ($0, .paused) }
        }
    }

    /// Resumes a paused task `caller` may see: `pending` again, claimable from its `runAfter`.
    /// Resuming a pending task changes nothing.
    ///
    /// - Returns: The task as stored after the request.
    /// - Throws: ``TaskworksError/Code/taskNotFound``; ``TaskworksError/Code/permissionDenied``;
    ///   ``TaskworksError/Code/invalidTransition`` unless the task is paused or pending.
    @discardableResult
    public func resume(_ id: TaskID, as caller: Caller) async throws -> TaskRecord {
        let stored = try await changeVisibleTask(id, as: caller, for: .pause) { task, now in
            try TaskTransitions.resume(task, now: now).map { ($0, .resumed) }
        }
        let now = clock.now()
        engine.pools.wake(dueAt: stored.runAfter > now ? stored.runAfter : nil)
        return stored
    }

    /// Pauses every task of `type` for every pool sharing the store: none is claimed until
    /// ``resumeTaskType(_:as:)``; running ones finish. Tasks keep their status (`pending`), and
    /// new ones can still be created. Under the default policy, admins and the system only.
    ///
    /// - Returns: Whether this call paused it (`false`: it already was).
    /// - Throws: ``TaskworksError/Code/permissionDenied`` when the policy refuses;
    ///   ``TaskworksError/Code/invalidInput`` for a malformed type name;
    ///   ``TaskworksError/Code/unsupported`` when the store keeps no paused types
    ///   (``TaskTypePauseStore``).
    @discardableResult
    public func pauseTaskType(_ type: String, as caller: Caller) async throws -> Bool {
        try checkMayPauseTypes(caller, type)
        return try await engine.setTaskType(type, paused: true)
    }

    /// Resumes a paused task type: its pending tasks are claimable again, at once.
    ///
    /// - Returns: Whether this call resumed it (`false`: it was not paused).
    /// - Throws: as ``pauseTaskType(_:as:)``.
    @discardableResult
    public func resumeTaskType(_ type: String, as caller: Caller) async throws -> Bool {
        try checkMayPauseTypes(caller, type)
        return try await engine.setTaskType(type, paused: false)
    }

    /// The task types paused now, for any caller who may list tasks (it explains why their
    /// tasks wait).
    ///
    /// - Throws: ``TaskworksError/Code/permissionDenied`` when the policy does not allow listing.
    public func pausedTaskTypes(as caller: Caller) async throws -> Set<String> {
        try authorize(.list, as: caller)
        return try await engine.pausedTaskTypes()
    }

    private func checkMayPauseTypes(_ caller: Caller, _ type: String) throws {
        _ = try caller.validated()
        try TaskRegistry.validate(typeName: type)
        try authorize(.pauseTaskType(type), as: caller)
    }
}
