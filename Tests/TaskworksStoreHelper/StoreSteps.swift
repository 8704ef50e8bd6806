import Foundation
import Taskworks

/// The `steps` mode: every kind of file-store write once, each logged only after it returned.
enum StoreSteps {
    static func run(directory: String, log: LineLog) async throws {
        var options = FileTaskStore.Options(createDirectory: true, compactionThreshold: 1)
        options.warningHandler = { _ in }
        let store = try await FileTaskStore(directory: directory, options: options)
        log.line("opened")
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var created: [TaskRecord] = []
        for index in 0..<3 {
            let record = TaskRecord(
                type: "job", payload: .object(["index": .integer(Int64(index))]), createdBy: "steps",
                createdAt: start)
            created.append(try await store.insert(record))
            log.line("ack \(record.id)")
        }
        let claimed = try await store.claim(
            TaskClaimRequest(owner: "steps", now: start, leaseDuration: .seconds(30), types: nil, limit: 2))
        for task in claimed { log.line("claim \(task.id) \(task.version)") }
        try await finish(claimed, at: start, in: store, log: log)
        let removable = try await store.removableTasks(
            RemovalCriteria(finishedBefore: start.addingTimeInterval(1), deletedBefore: start), limit: 10)
        // A kill inside `remove` may leave the removal applied or not: the intent is logged first.
        for task in removable { log.line("removing \(task.id)") }
        if try await store.remove(removable) == removable.count {
            for task in removable { log.line("removed \(task.id)") }
        }
        await store.close()
        log.line("closed")
    }

    /// Marks each claimed task succeeded at `now`, logging `finish ID V` once stored.
    static func finish(_ claimed: [TaskRecord], at now: Date, in store: FileTaskStore, log: LineLog)
        async throws
    {
        for task in claimed {
            var finished = task
            finished.status = .succeeded
            finished.finishedAt = now
            finished.leaseOwner = nil
            finished.leaseExpiresAt = nil
            if case .updated(let stored) = try await store.update(finished, expectedVersion: task.version) {
                log.line("finish \(stored.id) \(stored.version)")
            }
        }
    }
}
