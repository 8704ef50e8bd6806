import Taskworks

/// Runs `body` while `pool` runs, then shuts the pool down gracefully (``WorkerPool/shutdown(force:)``)
/// and waits until `run()` returned, also when `body` throws; returns what `body` returned.
///
/// ```swift
/// try await withRunningPool(pool) {
///     let task = try await service.create("noop", createdBy: .system)
///     try await eventually("done") { try await service.task(task.id, as: .system).status == .succeeded }
/// }
/// ```
public func withRunningPool<T: Sendable>(_ pool: WorkerPool, _ body: () async throws -> T) async throws -> T {
    let running = Task { try await pool.run() }
    do {
        let value = try await body()
        pool.shutdown()
        try await running.value
        return value
    } catch {
        pool.shutdown()
        try? await running.value
        throw error
    }
}

extension TaskStore {
    /// Writes `change` applied to the stored copy of task `id`, retrying on conflicts, bypassing
    /// every transition rule: for putting a store into a state a test needs, never for app code.
    ///
    /// - Throws: `TaskworksError/Code/taskNotFound` when no task has this id.
    @discardableResult
    package func force(_ id: TaskID, _ change: (inout TaskRecord) -> Void) async throws -> TaskRecord {
        while true {
            guard let current = try await task(id: id) else { throw TaskworksError.taskNotFound(id) }
            var next = current
            change(&next)
            if case .updated(let stored) = try await update(next, expectedVersion: current.version) {
                return stored
            }
        }
    }
}
