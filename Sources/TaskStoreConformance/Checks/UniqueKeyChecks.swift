import Foundation
import Taskworks
import TaskworksTesting

/// Unique keys: at most one pending or running task per key, checked atomically with the insert.
enum UniqueKeyChecks {
    static let all: [StoreCheck] = [
        StoreCheck("unique.aKeyIsHeldWhilePendingOrRunningAndReleasedAfter") { context in
            let store = context.store
            let first = try await store.insert(Sample.record(uniqueKey: "nightly"))
            let duplicate = try await store.insert(Sample.record(uniqueKey: "nightly"))
            try expectEqual(duplicate, first, "insert of a held key returns the holder")
            _ = try await store.claim(Sample.claim())
            let whileRunning = try await store.insert(Sample.record(uniqueKey: "nightly"))
            try expectEqual(whileRunning.id, first.id, "insert while the holder runs")
            try await store.force(first.id) {
                $0.status = .succeeded
                $0.leaseOwner = nil
            }
            let second = try await store.insert(Sample.record(uniqueKey: "nightly"))
            try expect(second.id != first.id, "the key stayed held after its task finished")
            try await store.force(second.id) { $0.deletedAt = Sample.start }
            let third = try await store.insert(Sample.record(uniqueKey: "nightly"))
            try expect(third.id != second.id, "the key stayed held by a deleted task")
            let other = try await store.insert(Sample.record(uniqueKey: "other"))
            try expect(other.id != third.id, "a different key was treated as the same")
            try expectEqual(try await context.readModel.counts(createdBy: nil).total, 3, "tasks stored")
        },
        StoreCheck("unique.concurrentCreatorsOnTwoHandlesMakeOneTask") { context in
            let handles = [context.store, try await context.openAnotherHandle()]
            let ids = try await withThrowingTaskGroup(of: TaskID.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await handles[index % 2].insert(Sample.record(uniqueKey: "once")).id
                    }
                }
                var all: Set<TaskID> = []
                for try await id in group { all.insert(id) }
                return all
            }
            try expectEqual(ids.count, 1, "distinct tasks returned to 40 racing creators")
            try expectEqual(
                try await readModelServing(handles[1]).counts(createdBy: nil).total, 1,
                "tasks stored")
        },
    ]
}
