import Foundation

extension TaskEngine {
    /// The records of every task of `batch` for `creatorID` (already validated by the caller) at
    /// `now`, each checked as a single create checks it; nothing is stored.
    func newRecords(_ batch: [NewTask], creatorID: String, now: Date) throws -> [TaskRecord] {
        var records: [TaskRecord] = []
        records.reserveCapacity(batch.count)
        for (index, task) in batch.enumerated() {
            do {
                records.append(
                    try newRecord(
                        task.type, json: task.payload, options: task.options, creatorID: creatorID, now: now))
            } catch let error as TaskworksError {
                throw error.inBatch(at: index, of: batch.count)
            }
        }
        return records
    }

    /// Inserts `records` (from ``newRecords(_:creatorID:now:)`` at `now`) with one
    /// ``TaskStore/insert(contentsOf:)``, then publishes `created` for each new one and wakes
    /// this process's pools once.
    nonisolated(nonsending) func insert(batch records: [TaskRecord], now: Date) async throws -> [TaskCreation]
    {
        let stored = try await store.insert(contentsOf: records)
        guard stored.count == records.count else {
            throw TaskworksError.storageFailure(
                "the store returned \(stored.count) tasks for a batch of \(records.count); "
                    + "its insert(contentsOf:) breaks the TaskStore contract")
        }
        var creations: [TaskCreation] = []
        creations.reserveCapacity(stored.count)
        var earliestDue: Date?
        for (record, task) in zip(records, stored) {
            let isNew = task.id == record.id
            creations.append(TaskCreation(task: task, isDuplicate: !isNew))
            guard isNew else { continue }
            events.publish(.created, task)
            earliestDue = min(earliestDue ?? task.runAfter, task.runAfter)
        }
        if let earliestDue { pools.wake(dueAt: earliestDue > now ? earliestDue : nil) }
        return creations
    }
}

extension TaskworksError {
    /// This error, its message saying which task of a batch it is about.
    func inBatch(at index: Int, of count: Int) -> TaskworksError {
        TaskworksError(
            code: code, message: "task \(index + 1) of \(count) in the batch: \(message)", taskID: taskID,
            path: path,
            line: line)
    }
}
