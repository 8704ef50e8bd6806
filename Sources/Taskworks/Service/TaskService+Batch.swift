import Foundation

extension TaskService {
    /// The most tasks one ``create(_:createdBy:)`` call takes.
    public static let maximumBatchSize = 10_000

    /// Creates many tasks in one call and one store write: every task is checked first (type,
    /// permission, payload, options), then all are inserted in one atomic step, so either each
    /// task is created (or resolved to the holder of its unique key) or none is.
    ///
    /// On the file store that is one journal write and one flush; on PostgreSQL one transaction
    /// of multi-row `INSERT`s. Each new task is published as `created` and pools wake once.
    /// Batched tasks take no completion handler: observe them with ``TaskRegistry``'s observers
    /// or the event stream.
    ///
    /// ```swift
    /// let batch = try users.map { try NewTask("send_welcome", payload: Welcome(userID: $0.id)) }
    /// let created = try await service.create(batch, createdBy: .system)
    /// print(created.filter { !$0.isDuplicate }.count, "new")
    /// ```
    ///
    /// - Returns: one ``TaskCreation`` per task, in the batch's order.
    /// - Throws: as ``create(_:payload:options:createdBy:onComplete:)``, the message naming the
    ///   task ("task 3 of 10 in the batch: …"); ``TaskworksError/Code/invalidInput`` for more
    ///   than ``maximumBatchSize`` tasks. Nothing is stored when it throws.
    public func create(_ batch: [NewTask], createdBy caller: Caller) async throws -> [TaskCreation] {
        let now = engine.clock.now()
        let records = try prepare(batch, createdBy: caller, now: now)
        guard !records.isEmpty else { return [] }
        return try await engine.insert(batch: records, now: now)
    }

    /// Checks `batch` as ``create(_:createdBy:)`` does and makes its tasks' records, storing
    /// nothing: for a store that inserts them itself, on a connection of the host's, inside the
    /// host's own transaction (PostgreSQL's transactional enqueue). The service publishes no
    /// `created` events for tasks stored this way.
    ///
    /// - Throws: as ``create(_:createdBy:)``.
    public func prepare(_ batch: [NewTask], createdBy caller: Caller) throws -> [TaskRecord] {
        try prepare(batch, createdBy: caller, now: engine.clock.now())
    }

    private func prepare(_ batch: [NewTask], createdBy caller: Caller, now: Date) throws -> [TaskRecord] {
        guard batch.count <= TaskService.maximumBatchSize else {
            throw TaskworksError.invalidInput(
                "a batch of \(batch.count) tasks is more than the \(TaskService.maximumBatchSize) one call takes; "
                    + "split it into smaller batches")
        }
        guard !batch.isEmpty else { return [] }
        var checkedTypes: Set<String> = []
        for (index, task) in batch.enumerated() where checkedTypes.insert(task.type).inserted {
            do {
                let permission = registry.creationPermission(for: task.type)
                try authorize(.create(taskType: task.type, permission: permission), as: caller)
            } catch let error as TaskworksError {
                throw error.inBatch(at: index, of: batch.count)
            }
        }
        return try engine.newRecords(batch, creatorID: caller.creatorID, now: now)
    }
}
