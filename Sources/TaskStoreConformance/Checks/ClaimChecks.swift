import Foundation
import Taskworks
import TaskworksTesting

/// Claiming: order, leases, `runAfter`, type filters, batches, races and expired leases.
enum ClaimChecks {
    static let all: [StoreCheck] = [
        StoreCheck("claim.highestPriorityThenOldest") { context in
            let store = context.store
            let t = Sample.start
            let low = try await store.insert(Sample.record(priority: 1, createdAt: t))
            let midOld = try await store.insert(
                Sample.record(priority: 5, createdAt: t.addingTimeInterval(1)))
            let highNew = try await store.insert(
                Sample.record(priority: 9, createdAt: t.addingTimeInterval(3)))
            let highOld = try await store.insert(
                Sample.record(priority: 9, createdAt: t.addingTimeInterval(2)))
            let now = t.addingTimeInterval(10)
            var order: [TaskID] = []
            while let next = try await store.claim(Sample.claim(now: now)).first {
                order.append(next.id)
                try expect(order.count <= 4, "claim keeps returning tasks that were already claimed")
            }
            try expectEqual(order, [highOld.id, highNew.id, midOld.id, low.id], "claim order")
        },
        StoreCheck("claim.setsLeaseAttemptsAndVersionInOneStep") { context in
            let store = context.store
            let stored = try await store.insert(Sample.record())
            let now = Sample.start.addingTimeInterval(5)
            let claimed = try require(
                try await store.claim(Sample.claim("worker-x", now: now, lease: .seconds(30))).first,
                "claim of the only pending task")
            try expectEqual(
                claimed, Sample.claim("worker-x", now: now, lease: .seconds(30)).claimed(stored),
                "the claimed copy (TaskClaimRequest.claimed(_:) of the stored task)")
            try expectEqual(try await store.task(id: stored.id), claimed, "the task read after its claim")
            try expect(
                try await store.claim(Sample.claim(now: now)).isEmpty, "a running task was claimed again")
        },
        StoreCheck("claim.waitsForRunAfter") { context in
            let store = context.store
            let due = Sample.start.addingTimeInterval(60)
            let delayed = try await store.insert(Sample.record(priority: 10, runAfter: due))
            let ready = try await store.insert(Sample.record(priority: 1))
            let early = try await store.claim(Sample.claim(now: Sample.start, limit: 5))
            try expectEqual(early.map(\.id), [ready.id], "tasks claimable before the delayed one is due")
            try expect(
                try await store.claim(Sample.claim(now: due.addingTimeInterval(-0.001))).isEmpty,
                "a task was claimed a millisecond before its runAfter")
            let onTime = try await store.claim(Sample.claim(now: due))
            try expectEqual(onTime.map(\.id), [delayed.id], "tasks claimable at runAfter exactly")
        },
        StoreCheck("claim.honoursTheTypeFilter") { context in
            let store = context.store
            let email = try await store.insert(Sample.record(type: "email", priority: 1))
            _ = try await store.insert(Sample.record(type: "report", priority: 10))
            let claimed = try await store.claim(Sample.claim(limit: 5, types: ["email"]))
            try expectEqual(claimed.map(\.id), [email.id], "claim limited to type email")
            try expect(
                try await store.claim(Sample.claim(limit: 5, types: ["unknown"])).isEmpty,
                "claim limited to a type nobody created returned tasks")
        },
        StoreCheck("claim.returnsABatchInOrder") { context in
            let store = context.store
            var expected: [TaskID] = []
            for index in 0..<7 {
                let record = try await store.insert(
                    Sample.record(createdAt: Sample.start.addingTimeInterval(Double(index))))
                expected.append(record.id)
            }
            let now = Sample.start.addingTimeInterval(100)
            let first = try await store.claim(Sample.claim(now: now, limit: 5))
            let second = try await store.claim(Sample.claim(now: now, limit: 5))
            try expectEqual(first.map(\.id), Array(expected.prefix(5)), "first batch of 5")
            try expectEqual(second.map(\.id), Array(expected.suffix(2)), "second batch")
        },
        StoreCheck("claim.concurrentClaimersOnTwoHandlesNeverShareATask") { context in
            let handles = [context.store, try await context.openAnotherHandle()]
            let taskCount = 1_000
            for index in 0..<taskCount {
                _ = try await handles[index % 2].insert(
                    Sample.record(
                        priority: 1 + index % 10, createdAt: Sample.start.addingTimeInterval(Double(index))))
            }
            let now = Sample.start.addingTimeInterval(Double(taskCount))
            let claimed = try await withThrowingTaskGroup(of: [TaskID].self) { group in
                for claimer in 0..<16 {
                    group.addTask {
                        var mine: [TaskID] = []
                        while true {
                            let batch = try await handles[claimer % 2].claim(
                                Sample.claim("claimer-\(claimer)", now: now, limit: 1 + claimer % 4))
                            if batch.isEmpty { return mine }
                            mine.append(contentsOf: batch.map(\.id))
                        }
                    }
                }
                var all: [TaskID] = []
                for try await list in group { all += list }
                return all
            }
            try expectEqual(claimed.count, taskCount, "claims in all")
            try expectEqual(Set(claimed).count, taskCount, "distinct tasks claimed")
        },
        StoreCheck("claim.aTaskPutBackToPendingIsClaimableAgain") { context in
            let store = context.store
            _ = try await store.insert(Sample.record())
            let claimed = try require(try await store.claim(Sample.claim()).first, "first claim")
            var released = claimed
            released.status = .pending
            released.leaseOwner = nil
            released.leaseExpiresAt = nil
            released.runAfter = Sample.start.addingTimeInterval(30)
            _ = try await store.update(released, expectedVersion: claimed.version)
            try expect(
                try await store.claim(Sample.claim(now: Sample.start.addingTimeInterval(29))).isEmpty,
                "a released task was claimed before its new runAfter")
            let again = try require(
                try await store.claim(Sample.claim("worker-b", now: Sample.start.addingTimeInterval(30)))
                    .first,
                "claim after the new runAfter")
            try expectEqual(again.attempts, 2, "attempts after the second claim")
            try expectEqual(again.leaseOwner, "worker-b", "lease owner after the second claim")
        },
        StoreCheck("claim.deletedAndFinishedTasksAreNeverClaimed") { context in
            let store = context.store
            let deleted = try await store.insert(Sample.record())
            let cancelled = try await store.insert(Sample.record())
            let succeeded = try await store.insert(Sample.record())
            try await store.force(deleted.id) { $0.deletedAt = Sample.start }
            try await store.force(cancelled.id) { $0.status = .cancelled }
            try await store.force(succeeded.id) { $0.status = .succeeded }
            try expect(
                try await store.claim(Sample.claim(limit: 10)).isEmpty,
                "a deleted or finished task was claimed")
        },
        StoreCheck("claim.expiredLeasesAreFoundWithTheCallersClock") { context in
            let store = context.store
            _ = try await store.insert(Sample.record())
            _ = try await store.insert(Sample.record())
            let claimed = try await store.claim(Sample.claim(limit: 2, lease: .seconds(30)))
            try expectEqual(claimed.count, 2, "tasks claimed")
            let expiry = Sample.start.addingTimeInterval(30)
            try expect(
                try await store.expiredLeases(at: expiry, limit: 10).isEmpty,
                "a lease was reported expired at its expiry instant (expired means strictly before now)")
            let expired = try await store.expiredLeases(at: expiry.addingTimeInterval(0.001), limit: 10)
            try expectEqual(Set(expired.map(\.id)), Set(claimed.map(\.id)), "expired leases")
            try expectEqual(
                try await store.expiredLeases(at: expiry.addingTimeInterval(1), limit: 1).count, 1,
                "expired leases with limit 1")
        },
    ]
}
