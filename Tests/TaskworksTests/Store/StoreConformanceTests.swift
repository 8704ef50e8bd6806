import Foundation
import Testing

@testable import Taskworks

/// The `TaskStore` contract, run against every store in `StoreFixture.all`. A store that passes
/// this suite is correct; one that does not, is not.
@Suite("Store conformance")
struct StoreConformanceTests {
    @Test(arguments: StoreFixture.all)
    func insertStoresVersionOneAndReadsBack(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let record = Fixtures.record()
        let stored = try await store.insert(record)
        #expect(stored.version == 1)
        #expect(try await store.task(id: record.id) == stored)
        #expect(try await store.task(id: TaskID()) == nil)
    }

    @Test(arguments: StoreFixture.all)
    func insertingAnExistingIDFailsAndKeepsTheOriginal(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let original = try await store.insert(Fixtures.record(priority: 3))
        var duplicate = original
        duplicate.priority = 9
        await #expect(throws: TaskworksError.self) { try await store.insert(duplicate) }
        #expect(try await store.task(id: original.id)?.priority == 3)
    }

    @Test(arguments: StoreFixture.all)
    func updateIsCompareAndSet(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let stored = try await store.insert(Fixtures.record())
        var first = stored
        first.progress = 10
        guard case .updated(let afterFirst) = try await store.update(first, expectedVersion: 1) else {
            Issue.record("first update should win")
            return
        }
        #expect(afterFirst.version == 2)
        #expect(afterFirst.progress == 10)

        // A writer still holding version 1 is stale: nothing changes and it gets the current copy.
        var stale = stored
        stale.progress = 99
        let staleResult = try await store.update(stale, expectedVersion: 1)
        #expect(staleResult == .conflict(current: afterFirst))
        #expect(try await store.task(id: stored.id)?.progress == 10)

        let missing = try await store.update(Fixtures.record(), expectedVersion: 1)
        #expect(missing == .notFound)
    }

    @Test(arguments: StoreFixture.all)
    func updateKeepsImmutableFields(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let stored = try await store.insert(Fixtures.record(type: "noop", createdBy: "alice"))
        var changed = stored
        changed.createdBy = "mallory"
        changed.type = "other"
        changed.createdAt = Fixtures.start.addingTimeInterval(-999)
        guard case .updated(let result) = try await store.update(changed, expectedVersion: 1) else {
            Issue.record("update should succeed")
            return
        }
        #expect(result.createdBy == "alice")
        #expect(result.type == "noop")
        #expect(result.createdAt == stored.createdAt)
    }

    @Test(arguments: StoreFixture.all)
    func claimTakesHighestPriorityThenOldest(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let t = Fixtures.start
        let low = try await store.insert(Fixtures.record(priority: 1, createdAt: t))
        let midOld = try await store.insert(Fixtures.record(priority: 5, createdAt: t.addingTimeInterval(1)))
        let highNew = try await store.insert(Fixtures.record(priority: 9, createdAt: t.addingTimeInterval(3)))
        let highOld = try await store.insert(Fixtures.record(priority: 9, createdAt: t.addingTimeInterval(2)))
        let now = t.addingTimeInterval(10)
        var order: [TaskID] = []
        while let next = try await store.claim(Fixtures.claim(now: now)).first {
            order.append(next.id)
        }
        #expect(order == [highOld.id, highNew.id, midOld.id, low.id])
    }

    @Test(arguments: StoreFixture.all)
    func claimSetsLeaseAttemptsAndVersionInOneStep(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let stored = try await store.insert(Fixtures.record())
        let now = Fixtures.start.addingTimeInterval(5)
        let claimed = try #require(
            try await store.claim(Fixtures.claim("worker-x", now: now, lease: .seconds(30))).first)
        #expect(claimed.id == stored.id)
        #expect(claimed.status == .running)
        #expect(claimed.leaseOwner == "worker-x")
        #expect(claimed.leaseExpiresAt == now.addingTimeInterval(30))
        #expect(claimed.attempts == 1)
        #expect(claimed.startedAt == now)
        #expect(claimed.version == 2)
        #expect(try await store.task(id: stored.id) == claimed)
        #expect(try await store.claim(Fixtures.claim(now: now)).isEmpty)
    }

    @Test(arguments: StoreFixture.all)
    func claimWaitsForRunAfter(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let due = Fixtures.start.addingTimeInterval(60)
        let delayed = try await store.insert(Fixtures.record(priority: 10, runAfter: due))
        let ready = try await store.insert(Fixtures.record(priority: 1))
        let early = try await store.claim(Fixtures.claim(now: Fixtures.start, limit: 5))
        #expect(early.map(\.id) == [ready.id])
        #expect(try await store.claim(Fixtures.claim(now: due.addingTimeInterval(-0.001))).isEmpty)
        let onTime = try await store.claim(Fixtures.claim(now: due))
        #expect(onTime.map(\.id) == [delayed.id])
    }

    @Test(arguments: StoreFixture.all)
    func claimHonoursTheTypeFilter(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let email = try await store.insert(Fixtures.record(type: "email", priority: 1))
        _ = try await store.insert(Fixtures.record(type: "report", priority: 10))
        let claimed = try await store.claim(Fixtures.claim(limit: 5, types: ["email"]))
        #expect(claimed.map(\.id) == [email.id])
        #expect(try await store.claim(Fixtures.claim(limit: 5, types: ["unknown"])).isEmpty)
    }

    @Test(arguments: StoreFixture.all)
    func claimReturnsABatchInOrder(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        var expected: [TaskID] = []
        for index in 0..<7 {
            let record = try await store.insert(
                Fixtures.record(createdAt: Fixtures.start.addingTimeInterval(Double(index))))
            expected.append(record.id)
        }
        let now = Fixtures.start.addingTimeInterval(100)
        let first = try await store.claim(Fixtures.claim(now: now, limit: 5))
        let second = try await store.claim(Fixtures.claim(now: now, limit: 5))
        #expect(first.map(\.id) == Array(expected.prefix(5)))
        #expect(second.map(\.id) == Array(expected.suffix(2)))
    }

    @Test(arguments: StoreFixture.all)
    func concurrentClaimersNeverShareATask(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let taskCount = 2000
        for index in 0..<taskCount {
            _ = try await store.insert(
                Fixtures.record(
                    priority: 1 + index % 10, createdAt: Fixtures.start.addingTimeInterval(Double(index))))
        }
        let now = Fixtures.start.addingTimeInterval(Double(taskCount))
        let claimedLists = try await withThrowingTaskGroup(of: [TaskID].self) { group in
            for claimer in 0..<16 {
                group.addTask {
                    var mine: [TaskID] = []
                    while true {
                        let batch = try await store.claim(
                            Fixtures.claim("claimer-\(claimer)", now: now, limit: 1 + claimer % 4))
                        if batch.isEmpty { return mine }
                        mine.append(contentsOf: batch.map(\.id))
                    }
                }
            }
            var all: [[TaskID]] = []
            for try await list in group { all.append(list) }
            return all
        }
        let claimed = claimedLists.flatMap { $0 }
        #expect(claimed.count == taskCount)
        #expect(Set(claimed).count == taskCount)
    }

    @Test(arguments: StoreFixture.all)
    func aTaskPutBackToPendingIsClaimableAgain(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        _ = try await store.insert(Fixtures.record())
        let claimed = try #require(try await store.claim(Fixtures.claim()).first)
        var released = claimed
        released.status = .pending
        released.leaseOwner = nil
        released.leaseExpiresAt = nil
        released.runAfter = Fixtures.start.addingTimeInterval(30)
        _ = try await store.update(released, expectedVersion: claimed.version)
        #expect(try await store.claim(Fixtures.claim(now: Fixtures.start.addingTimeInterval(29))).isEmpty)
        let again = try #require(
            try await store.claim(Fixtures.claim("worker-b", now: Fixtures.start.addingTimeInterval(30)))
                .first)
        #expect(again.attempts == 2)
        #expect(again.leaseOwner == "worker-b")
    }

    @Test(arguments: StoreFixture.all)
    func deletedAndCancelledTasksAreNeverClaimed(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let deleted = try await store.insert(Fixtures.record())
        let cancelled = try await store.insert(Fixtures.record())
        try await store.force(deleted.id) { $0.deletedAt = Fixtures.start }
        try await store.force(cancelled.id) { $0.status = .cancelled }
        #expect(try await store.claim(Fixtures.claim(limit: 10)).isEmpty)
    }

    @Test(arguments: StoreFixture.all)
    func expiredLeasesAreFoundWithTheCallersClock(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        _ = try await store.insert(Fixtures.record())
        _ = try await store.insert(Fixtures.record())
        let claimed = try await store.claim(Fixtures.claim(limit: 2, lease: .seconds(30)))
        #expect(claimed.count == 2)
        let expiry = Fixtures.start.addingTimeInterval(30)
        #expect(try await store.expiredLeases(at: expiry, limit: 10).isEmpty)
        let expired = try await store.expiredLeases(at: expiry.addingTimeInterval(0.001), limit: 10)
        #expect(Set(expired.map(\.id)) == Set(claimed.map(\.id)))
        #expect(try await store.expiredLeases(at: expiry.addingTimeInterval(1), limit: 1).count == 1)
    }

    @Test(arguments: StoreFixture.all)
    func countsFollowEveryChange(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let a = try await store.insert(Fixtures.record(type: "email", createdBy: "alice"))
        _ = try await store.insert(Fixtures.record(type: "email", createdBy: "bob"))
        let c = try await store.insert(Fixtures.record(type: "report", createdBy: "alice"))
        try await store.force(a.id) { $0.status = .failed }
        try await store.force(c.id) { $0.deletedAt = Fixtures.start }
        let all = try await store.counts(createdBy: nil)
        #expect(all.byStatus == [.failed: 1, .pending: 1])
        #expect(all.byType == ["email": 2])
        let alice = try await store.counts(createdBy: "alice")
        #expect(alice.byStatus == [.failed: 1])
        #expect(alice.total == 1)
        #expect(try await store.counts(createdBy: "nobody").total == 0)
    }

    @Test(arguments: StoreFixture.all)
    func recentTasksAreNewOrActiveNewestFirst(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let day: TimeInterval = 86_400
        let now = Fixtures.start.addingTimeInterval(10 * day)
        let since = now.addingTimeInterval(-day)
        let oldActive = try await store.insert(Fixtures.record(createdAt: Fixtures.start))
        let oldFinished = try await store.insert(
            Fixtures.record(createdAt: Fixtures.start.addingTimeInterval(1)))
        try await store.force(oldFinished.id) { $0.status = .succeeded }
        var fresh: [TaskID] = []
        for index in 0..<3 {
            let record = try await store.insert(
                Fixtures.record(createdAt: since.addingTimeInterval(Double(index) * 60)))
            try await store.force(record.id) { $0.status = .succeeded }
            fresh.append(record.id)
        }
        _ = try await store.insert(Fixtures.record(createdBy: "bob", createdAt: now))
        let recent = try await store.recentTasks(createdBy: "alice", createdSince: since, limit: 10)
        #expect(recent.map(\.id) == fresh.reversed() + [oldActive.id])
        let limited = try await store.recentTasks(createdBy: "alice", createdSince: since, limit: 2)
        #expect(limited.map(\.id) == Array(fresh.reversed().prefix(2)))
    }
}
