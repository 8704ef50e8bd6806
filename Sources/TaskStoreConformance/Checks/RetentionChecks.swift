import Foundation
import Taskworks
import TaskworksTesting

/// Finding and removing old tasks for good.
enum RetentionChecks {
    static let now = Sample.start.addingTimeInterval(30 * 86_400)
    static let criteria = RemovalCriteria(
        finishedBefore: now.addingTimeInterval(-7 * 86_400), finishedBeforeByType: ["audit": Sample.start],
        deletedBefore: now.addingTimeInterval(-86_400))

    /// When the seeded schedule last fired: long before every retention cutoff.
    static let scheduleTick = now.addingTimeInterval(-20 * 86_400)

    /// Seeds one task per case and one schedule tick; returns the ids that must be removable and
    /// every id.
    static func seed(_ store: any TaskStore) async throws -> (removable: Set<TaskID>, all: [TaskID]) {
        var removable: Set<TaskID> = []
        var all: [TaskID] = []
        func add(
            _ type: String = "noop", status: TaskStatus, finishedDaysAgo: Double? = nil,
            deletedDaysAgo: Double? = nil, removable expected: Bool
        ) async throws {
            let record = try await store.insert(Sample.record(type: type, createdAt: Sample.start))
            try await store.force(record.id) { task in
                task.status = status
                task.finishedAt = finishedDaysAgo.map { now.addingTimeInterval(-$0 * 86_400) }
                task.deletedAt = deletedDaysAgo.map { now.addingTimeInterval(-$0 * 86_400) }
            }
            all.append(record.id)
            if expected { removable.insert(record.id) }
        }
        try await add(status: .succeeded, finishedDaysAgo: 10, removable: true)
        try await add(status: .failed, finishedDaysAgo: 8, removable: true)
        try await add(status: .cancelled, finishedDaysAgo: 3, removable: false)
        try await add(status: .pending, removable: false)
        try await add(status: .running, removable: false)
        try await add(status: .cancelled, finishedDaysAgo: 9, deletedDaysAgo: 2, removable: true)
        try await add(status: .cancelled, finishedDaysAgo: 9, deletedDaysAgo: 0.5, removable: false)
        try await add("audit", status: .succeeded, finishedDaysAgo: 20, removable: false)  // kept by type
        // Schedule state is not a task: retention never sees it.
        if let ticks = StoreCapabilities(of: store).scheduleTicks {
            _ = try await ticks.claimScheduleTick("nightly", tick: scheduleTick)
        }
        return (removable, all)
    }

    static let all: [StoreCheck] = [
        StoreCheck("retention.exactlyTheExpiredTasksAreRemovedAndOnlyIfUnchanged") { context in
            let store = context.store
            let (removable, all) = try await seed(store)
            let found = try await context.readModel.removableTasks(criteria, limit: 100)
            try expectEqual(Set(found.map(\.id)), removable, "removable tasks")
            try expectEqual(
                try await context.readModel.removableTasks(criteria, limit: 1).count, 1, "removable, limit 1")

            // One of them changed since it was read (retried, say): it stays.
            let changed = try await store.force(try require(found.first, "a removable task").id) {
                $0.errorMessage = "touched"
            }
            try expectEqual(try await store.remove(found), removable.count - 1, "tasks removed")
            try expect(
                try await store.task(id: changed.id) != nil, "a task changed after it was read was removed")
            for id in removable where id != changed.id {
                try expect(try await store.task(id: id) == nil, "removed task \(id) can still be read")
            }
            var visible = 0
            for id in all where !removable.contains(id) || id == changed.id {
                let task = try require(try await store.task(id: id), "kept task \(id)")
                if task.deletedAt == nil { visible += 1 }
            }
            try expectEqual(
                try await context.readModel.query(TaskQuery(pageSize: 100)).total, visible,
                "listed after removal")
            try expectEqual(
                try await context.readModel.counts(createdBy: nil).total, visible, "counted after removal")
            try expectEqual(try await store.remove(found), 0, "removing the same tasks again")
            if let ticks = StoreCapabilities(of: store).scheduleTicks {
                try expectEqual(
                    try await ticks.lastScheduleTick("nightly"), scheduleTick,
                    "a schedule's last tick after retention")
            }
        }
    ]
}
