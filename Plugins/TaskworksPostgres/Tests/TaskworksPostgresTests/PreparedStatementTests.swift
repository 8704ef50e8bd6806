#if Postgres
    import Foundation
    import Taskworks
    import Testing

    @testable import TaskworksPostgres

    /// The store's most-run statements (claims, outcome writes, creates) behave the same prepared
    /// once per connection and sent whole (``PostgresTaskStore/Configuration/preparesStatements``).
    @Suite(
        "PostgreSQL prepared statements",
        .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun))
    )
    struct PreparedStatementTests {
        @Test(arguments: [true, false])
        func createsClaimsAndWritesWorkPreparedOrSentWhole(prepares: Bool) async throws {
            var configuration = try TestDatabase.configuration()
            configuration.preparesStatements = prepares
            let store = try await PostgresTaskStore(configuration: configuration)
            let now = Date()
            let plain = try await store.insert(TaskRecord(type: "mail", createdBy: "alice", createdAt: now))
            var keyed = TaskRecord(type: "report", createdBy: "bob", createdAt: now.addingTimeInterval(1))
            keyed.uniqueKey = "nightly"
            let first = try await store.insert(keyed)
            var again = TaskRecord(type: "report", createdBy: "bob", createdAt: now.addingTimeInterval(2))
            again.uniqueKey = "nightly"
            #expect(try await store.insert(again).id == first.id, "the key's holder comes back")
            #expect(plain.version == 1 && first.version == 1)

            // Claims of some types, then of any type, each run several times so the server may
            // switch a prepared statement to its generic plan.
            for _ in 0..<7 {
                let none = try await store.claim(
                    TaskClaimRequest(
                        owner: "w", now: now, leaseDuration: .seconds(30), types: ["other"], limit: 5))
                #expect(none.isEmpty)
            }
            let reports = try await store.claim(
                TaskClaimRequest(
                    owner: "w", now: now.addingTimeInterval(5), leaseDuration: .seconds(30),
                    types: ["report"],
                    limit: 5))
            #expect(reports.map(\.id) == [first.id])
            let rest = try await store.claim(
                TaskClaimRequest(
                    owner: "w", now: now.addingTimeInterval(5), leaseDuration: .seconds(30), limit: 5))
            #expect(rest.map(\.id) == [plain.id])
            let mail = try #require(rest.first)
            #expect(mail.status == .running && mail.leaseOwner == "w" && mail.attempts == 1)

            // A lone write, then two at once through the combined statement.
            var progressed = mail
            progressed.progress = 40
            guard
                case .updated(let written) = try await store.update(progressed, expectedVersion: mail.version)
            else {
                Issue.record("the lone write was not applied")
                return
            }
            #expect(written.progress == 40 && written.version == mail.version + 1)
            var done = written
            done.status = .succeeded
            done.result = .object(["rows": .integer(3)])
            done.leaseOwner = nil
            done.leaseExpiresAt = nil
            var report = try #require(reports.first)
            report.status = .failed
            report.errorMessage = "no data"
            let results = await store.performWrites([
                .init(task: done, expectedVersion: written.version),
                .init(task: report, expectedVersion: report.version - 1),
            ])
            guard case .success(.updated(let stored)) = results.first,
                case .success(.conflict(let current)) = results.last
            else {
                Issue.record("combined writes: \(results)")
                return
            }
            #expect(stored.status == .succeeded && stored.result == .object(["rows": .integer(3)]))
            #expect(current.status == .running, "the stale write was refused")
            #expect(try await store.task(id: plain.id) == stored)
            try await store.dropSchema()
            await store.close()
        }
    }
#endif  // Postgres
