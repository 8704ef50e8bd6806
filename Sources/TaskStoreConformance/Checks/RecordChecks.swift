import Foundation
import Taskworks
import TaskworksTesting

/// Insert, read, compare-and-set update, the scan, counts and recent tasks.
enum RecordChecks {
    static let all: [StoreCheck] = [
        StoreCheck("record.insertStoresVersionOneAndReadsBack") { context in
            let store = context.store
            let record = Sample.record()
            let stored = try await store.insert(record)
            try expectEqual(stored.version, 1, "version after insert")
            try expectEqual(try await store.task(id: record.id), stored, "task read back after insert")
            try expect(try await store.task(id: TaskID()) == nil, "a never-inserted id must read as nil")
        },
        StoreCheck("record.everyFieldRoundTripsExactly") { context in
            let store = context.store
            var record = Sample.record(
                type: "export.users", priority: -3, createdBy: "ünïcode 用户",
                runAfter: Sample.start.addingTimeInterval(0.000_123), uniqueKey: "key 'quoted' %_")
            record.payload = .object([
                "name": .string("Zoë \"quoted\" \\ back\nslash 🚀"), "count": .integer(42),
                "ratio": .double(0.1), "big": .integer(Int64.max), "tiny": .double(-1.5e-7),
                "flag": .bool(true), "nothing": .null,
                "list": .array([.integer(-1), .string("two"), .object([:])]),
            ])
            record.timeoutMilliseconds = 1_500
            record.maxRetries = 7
            let inserted = try await store.insert(record)
            var finished = inserted
            finished.status = .succeeded
            finished.result = .array([.string("done"), .double(3.25)])
            finished.errorMessage = "earlier attempt: disk 100% full"
            finished.progress = 100
            finished.artifact = try TaskArtifact(
                key: "0123456789abcdef0123456789abcdef", fileName: "users_export.csv", contentType: "text/csv"
            )
            finished.attempts = 2
            finished.manualRetries = 1
            finished.startedAt = Sample.start.addingTimeInterval(1.000_001)
            finished.finishedAt = Sample.start.addingTimeInterval(2.5)
            finished.updatedAt = Sample.start.addingTimeInterval(2.5)
            finished.deletedAt = Sample.start.addingTimeInterval(3.75)
            finished.cancelRequested = true
            finished.leaseOwner = "worker-ü"
            finished.leaseExpiresAt = Sample.start.addingTimeInterval(30.000_5)
            guard case .updated(let stored) = try await store.update(finished, expectedVersion: 1) else {
                throw ConformanceFailure(
                    message: "update of a fresh task must succeed", file: #fileID, line: #line)
            }
            var expected = finished
            expected.version = 2
            try expectEqual(stored, expected, "stored copy after update (every field, dates to the bit)")
            try expectEqual(try await store.task(id: record.id), expected, "task read back after update")
            let reopened = try await context.openAnotherHandle()
            try expectEqual(try await reopened.task(id: record.id), expected, "task read by a second handle")
        },
        StoreCheck("record.insertingAnExistingIDFailsAndKeepsTheOriginal") { context in
            let store = context.store
            let original = try await store.insert(Sample.record(priority: 3))
            var duplicate = original
            duplicate.priority = 9
            try await expectThrows("inserting an id that exists", code: .duplicateTaskID) {
                _ = try await store.insert(duplicate)
            }
            try expectEqual(try await store.task(id: original.id)?.priority, 3, "priority of the original")
        },
        StoreCheck("record.updateIsCompareAndSet") { context in
            let store = context.store
            let stored = try await store.insert(Sample.record())
            var first = stored
            first.progress = 10
            guard case .updated(let afterFirst) = try await store.update(first, expectedVersion: 1) else {
                throw ConformanceFailure(message: "the first update must win", file: #fileID, line: #line)
            }
            try expectEqual(afterFirst.version, 2, "version after the first update")
            try expectEqual(afterFirst.progress, 10, "progress after the first update")
            var stale = stored
            stale.progress = 99
            try expectEqual(
                try await store.update(stale, expectedVersion: 1), .conflict(current: afterFirst),
                "a stale writer's update")
            try expectEqual(
                try await store.task(id: stored.id)?.progress, 10, "progress after the stale write")
            try expectEqual(
                try await store.update(Sample.record(), expectedVersion: 1), .notFound,
                "update of a missing id")
        },
        StoreCheck("record.concurrentUpdatesOnlyOneWinsPerVersion") { context in
            let store = context.store
            let other = try await context.openAnotherHandle()
            let stored = try await store.insert(Sample.record())
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for writer in 0..<16 {
                    group.addTask {
                        var next = stored
                        next.progress = writer
                        let handle = writer.isMultiple(of: 2) ? store : other
                        if case .updated = try await handle.update(next, expectedVersion: 1) { return true }
                        return false
                    }
                }
                var count = 0
                for try await won in group where won { count += 1 }
                return count
            }
            try expectEqual(winners, 1, "writers that won the same version")
            try expectEqual(try await store.task(id: stored.id)?.version, 2, "version after the race")
        },
        StoreCheck("record.updateKeepsImmutableFields") { context in
            let store = context.store
            let stored = try await store.insert(Sample.record(type: "noop", createdBy: "alice"))
            var changed = stored
            changed.createdBy = "mallory"
            changed.type = "other"
            changed.createdAt = Sample.start.addingTimeInterval(-999)
            guard case .updated(let result) = try await store.update(changed, expectedVersion: 1) else {
                throw ConformanceFailure(message: "update must succeed", file: #fileID, line: #line)
            }
            try expectEqual(result.createdBy, "alice", "createdBy after an update that tried to change it")
            try expectEqual(result.type, "noop", "type after an update that tried to change it")
            try expectEqual(
                result.createdAt, stored.createdAt, "createdAt after an update that tried to change it")
        },
        StoreCheck("record.countsFollowEveryChange") { context in
            let store = context.store
            let a = try await store.insert(Sample.record(type: "email", createdBy: "alice"))
            _ = try await store.insert(Sample.record(type: "email", createdBy: "bob"))
            let c = try await store.insert(Sample.record(type: "report", createdBy: "alice"))
            try await store.force(a.id) { $0.status = .failed }
            try await store.force(c.id) { $0.deletedAt = Sample.start }
            let all = try await context.readModel.counts(createdBy: nil)
            try expectEqual(all.byStatus, [.failed: 1, .pending: 1], "counts by status (deleted excluded)")
            try expectEqual(all.byType, ["email": 2], "counts by type (deleted excluded)")
            let alice = try await context.readModel.counts(createdBy: "alice")
            try expectEqual(alice.byStatus, [.failed: 1], "alice's counts by status")
            try expectEqual(
                try await context.readModel.counts(createdBy: "nobody").total, 0,
                "counts of a creator with no tasks")
        },
        StoreCheck("record.recentTasksAreNewOrActiveNewestFirst") { context in
            let store = context.store
            let day: TimeInterval = 86_400
            let now = Sample.start.addingTimeInterval(10 * day)
            let since = now.addingTimeInterval(-day)
            let oldActive = try await store.insert(Sample.record(createdAt: Sample.start))
            let oldFinished = try await store.insert(
                Sample.record(createdAt: Sample.start.addingTimeInterval(1)))
            try await store.force(oldFinished.id) { $0.status = .succeeded }
            var fresh: [TaskID] = []
            for index in 0..<3 {
                let record = try await store.insert(
                    Sample.record(createdAt: since.addingTimeInterval(Double(index) * 60)))
                try await store.force(record.id) { $0.status = .succeeded }
                fresh.append(record.id)
            }
            _ = try await store.insert(Sample.record(createdBy: "bob", createdAt: now))
            let recent = try await context.readModel.recentTasks(
                createdBy: "alice", createdSince: since, limit: 10)
            try expectEqual(recent.map(\.id), fresh.reversed() + [oldActive.id], "alice's recent tasks")
            let limited = try await context.readModel.recentTasks(
                createdBy: "alice", createdSince: since, limit: 2)
            try expectEqual(
                limited.map(\.id), Array(fresh.reversed().prefix(2)), "alice's recent tasks, limit 2")
        },
        StoreCheck("record.scanVisitsEveryTaskOnceInIDOrder") { context in
            let store = context.store
            var ids: Set<TaskID> = []
            for index in 0..<11 {
                let record = try await store.insert(Sample.record(priority: index % 10))
                ids.insert(record.id)
            }
            let deleted = try await store.force(ids.sorted()[4]) { $0.deletedAt = Sample.start }
            var seen: [TaskRecord] = []
            var cursor: TaskID?
            for _ in 0..<10 {
                let page = try await store.scanTasks(after: cursor, limit: 3)
                try expect(page.count <= 3, "a scan page holds at most its limit; got \(page.count)")
                seen += page
                guard let last = page.last else { break }
                cursor = last.id
            }
            try expectEqual(seen.map(\.id), ids.sorted(), "ids visited by a walk in pages of 3")
            try expectEqual(
                seen.first { $0.id == deleted.id }, deleted, "a deleted task is scanned as stored")
            try expectEqual(try await store.scanTasks(after: nil, limit: 0), [], "a scan with limit 0")
        },
    ]
}
