import Taskworks

extension TaskService {
    /// Runs every task that is due now, one at a time, to the end of its attempt, right here on
    /// the caller's task — no pool, no threads of its own — and returns each task as stored after
    /// its attempt, in the order they ran (highest priority, then oldest, as a pool claims).
    ///
    /// Tasks a run creates run too, when due. A failed attempt with retries left is scheduled by
    /// `retryPolicy` (no jitter) and, being in the future, is not run again: advance a
    /// ``ManualTaskClock`` past it and drain again. So are delayed tasks: nothing here waits.
    ///
    /// ```swift
    /// let clock = ManualTaskClock()
    /// let service = TaskService(store: InMemoryTaskStore(), registry: registry, clock: clock)
    /// try await service.create(Resize(width: 640), createdBy: .user("alice"))
    /// let ran = try await service.drainInline()
    /// #expect(ran.map(\.status) == [.succeeded])
    /// ```
    ///
    /// - Parameter limit: the most attempts to run (a guard against a task that keeps creating
    ///   due tasks); the default is 10,000.
    /// - Throws: what the store throws.
    @discardableResult
    public func drainInline(
        retryPolicy: RetryPolicy = RetryPolicy(), limit: Int = 10_000
    ) async throws -> [TaskRecord] {
        var ran: [TaskRecord] = []
        while ran.count < limit,
            let stored = try await runNextDueTaskInline(
                owner: "taskworks-testing-inline", retryPolicy: retryPolicy)
        {
            ran.append(stored)
        }
        return ran
    }

    /// The pending tasks of `Definition`'s type whose payload passes `filter`, optionally only
    /// those `creator` created, oldest first: for asserting what code under test enqueued.
    ///
    /// ```swift
    /// let queued = try await service.pendingTasks(of: Resize.self, createdBy: .user("alice")) { $0.width == 640 }
    /// #expect(queued.count == 1)
    /// ```
    ///
    /// - Throws: `TaskworksError/Code/invalidInput` when a pending payload does not decode as
    ///   `Definition`; what the store throws.
    public func pendingTasks<Definition: TaskDefinition>(
        of definition: Definition.Type, createdBy creator: Caller? = nil,
        where filter: (Definition) -> Bool = { _ in true }
    ) async throws -> [TaskRecord] {
        var query = TaskQuery(
            statuses: [.pending], types: [Definition.taskType], sort: .createdAscending,
            pageSize: TaskQuery.maximumPageSize)
        if let creator { query.createdBy = creator.creatorID }
        var found: [TaskRecord] = []
        while true {
            let page = try await list(query, as: .system)
            for task in page.items where filter(try task.payload(of: Definition.self)) { found.append(task) }
            guard page.hasMore else { return found }
            query.page += 1
        }
    }
}
