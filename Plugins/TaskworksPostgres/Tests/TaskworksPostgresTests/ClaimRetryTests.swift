#if Postgres
    import Foundation
    import Taskworks
    import Testing

    @testable import TaskworksPostgres

    /// A claim try whose answer was lost may have committed; the next try finds what it leased
    /// (``PostgresTaskStore/leasedByEarlierTries(owner:expiries:in:)``) instead of leaving those
    /// tasks leased to nobody's runner until the lease runs out.
    @Suite(
        "PostgreSQL: a claim retried after a lost answer",
        .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun))
    )
    struct ClaimRetryTests {
        @Test func theRetryFindsExactlyWhatTheLostTryLeased() async throws {
            let store = try await PostgresTaskStore(configuration: try TestDatabase.configuration())
            let start = Date()
            for index in 0..<5 {
                _ = try await store.insert(
                    TaskRecord(
                        type: "mail", createdBy: "alice",
                        createdAt: start.addingTimeInterval(Double(index - 10)))
                )
            }
            // The lost try: it committed, and its caller never saw the rows.
            let lost = TaskClaimRequest(owner: "w1", now: start, leaseDuration: .seconds(30), limit: 2)
            let leased = try await store.runPrepared(ClaimStatement(request: lost, types: nil)).map(\.record)
            // Another claim of the same owner (a later round) and one of another owner.
            let later = TaskClaimRequest(
                owner: "w1", now: start.addingTimeInterval(1), leaseDuration: .seconds(30), limit: 1)
            let other = TaskClaimRequest(owner: "w2", now: start, leaseDuration: .seconds(30), limit: 1)
            let laterTasks = try await store.claim(later)
            let otherTasks = try await store.claim(other)
            try #require(leased.count == 2 && laterTasks.count == 1 && otherTasks.count == 1)

            let expiries = [TaskRow.seconds(lost.leaseExpiry)]
            let found = try await store.records(
                PostgresTaskStore.leasedByEarlierTries(owner: "w1", expiries: expiries, in: store.tasksTable))
            #expect(Set(found.map(\.record.id)) == Set(leased.map(\.id)))

            // A renewed lease belongs to a runner: it is no longer the lost try's.
            var renewed = try #require(leased.first)
            renewed.leaseExpiresAt = start.addingTimeInterval(60)
            guard case .updated = try await store.update(renewed, expectedVersion: renewed.version) else {
                Issue.record("the renewal was refused")
                return
            }
            let afterRenewal = try await store.records(
                PostgresTaskStore.leasedByEarlierTries(owner: "w1", expiries: expiries, in: store.tasksTable))
            #expect(afterRenewal.map(\.record.id) == [leased[1].id])
            try await store.dropSchema()
            await store.close()
        }
    }
#endif  // Postgres
