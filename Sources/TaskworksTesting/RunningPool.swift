import Taskworks

/// Runs `body` while `pool` runs, then shuts the pool down gracefully (`WorkerPool.shutdown()`)
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
        let result = try await body()
        pool.shutdown()
        try await value(of: running, "the pool to stop after a graceful shutdown")
        return result
    } catch {
        pool.shutdown()
        try? await value(of: running, "the pool to stop after a graceful shutdown")
        throw error
    }
}

extension TaskStore {
    /// Writes `change` applied to the stored copy of task `id`, retrying on conflicts, bypassing
    /// every transition rule: for putting a store into a state a test needs, never for app code.
    ///
    /// - Throws: `TaskworksError/Code/taskNotFound` when no task has this id;
    ///   `TaskworksError/Code/contention` when 1,000 tries all lost to concurrent writers.
    @discardableResult
    package func force(_ id: TaskID, _ change: (inout TaskRecord) -> Void) async throws -> TaskRecord {
        for _ in 0..<1_000 {
            guard let current = try await task(id: id) else { throw TaskworksError.taskNotFound(id) }
            var next = current
            change(&next)
            if case .updated(let stored) = try await update(next, expectedVersion: current.version) {
                return stored
            }
        }
        throw TaskworksError(
            code: .contention, message: "task \(id) kept changing under 1000 forced writes", taskID: id)
    }
}
