import Foundation
import PostgresNIO
import Taskworks
import Testing

@testable import TaskworksPostgres

/// ``PostgresTaskStore/Configuration/keepsConnectionsOpen``: all connections up front and kept,
/// or postgres-nio's idle closing and keep-alive queries.
@Suite(
    "PostgreSQL connection upkeep",
    .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun))
)
struct ConnectionUpkeepTests {
    @Test(arguments: [true, false])
    func theStoreServesEitherWayAndKeepsItsConnectionsOpenWhenAsked(keepsOpen: Bool) async throws {
        var configuration = try TestDatabase.configuration()
        configuration.maximumConnections = 3
        configuration.keepsConnectionsOpen = keepsOpen
        configuration.applicationName = "upkeep_\(configuration.schema)"
        let store = try await PostgresTaskStore(configuration: configuration)
        let created = try await store.insert(TaskRecord(type: "mail", createdBy: "alice", createdAt: Date()))
        let claimed = try await store.claim(
            TaskClaimRequest(owner: "w", now: Date(), leaseDuration: .seconds(30), limit: 5))
        #expect(claimed.map(\.id) == [created.id])

        // The pool opens connections in the background: poll the server's view with a deadline.
        let deadline = ContinuousClock.now + .seconds(30)
        var open = 0
        repeat {
            open = try await connectionCount(named: configuration.applicationName, through: store)
            if !keepsOpen || open == configuration.maximumConnections { break }
            try await Task.sleep(for: .milliseconds(20))
        } while ContinuousClock.now < deadline
        if keepsOpen {
            #expect(open == configuration.maximumConnections, "connections open: \(open)")
        } else {
            #expect((1...configuration.maximumConnections).contains(open), "connections open: \(open)")
        }
        try await store.dropSchema()
        await store.close()
    }

    private func connectionCount(named name: String, through store: PostgresTaskStore) async throws -> Int {
        let query: PostgresQuery =
            "SELECT count(*)::int FROM pg_stat_activity WHERE application_name = \(name)"
        for try await (count) in try await store.client.query(query, logger: store.logger).decode(Int.self) {
            return count
        }
        return 0
    }
}
