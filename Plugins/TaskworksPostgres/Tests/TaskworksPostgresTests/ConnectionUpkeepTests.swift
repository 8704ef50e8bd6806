#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks
    import Testing

    @testable import TaskworksPostgres

    /// ``PostgresTaskStore/Configuration/keepsConnectionsOpen``: connections kept for the store's
    /// life, or postgres-nio's idle closing and keep-alive queries; never a minimum of open
    /// connections, which the client's pool asserts on when a restart closes them all.
    @Suite(
        "PostgreSQL connection upkeep",
        .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun))
    )
    struct ConnectionUpkeepTests {
        @Test(arguments: [true, false])
        func theClientKeepsNoMinimumOfConnectionsAndKeepsThemOpenWhenAsked(keepsOpen: Bool) throws {
            var configuration = try TestDatabase.configuration()
            configuration.maximumConnections = 7
            configuration.keepsConnectionsOpen = keepsOpen
            let options = PostgresTaskStore.clientConfiguration(configuration).options
            #expect(options.minimumConnections == 0)
            #expect(options.maximumConnections == 7)
            #expect((options.keepAliveBehavior == nil) == keepsOpen)
            #expect((options.connectionIdleTimeout >= .seconds(86_400)) == keepsOpen)
        }

        @Test(arguments: [true, false])
        func theStoreServesEitherWayOnAsManyConnectionsAsItsWorkNeeds(keepsOpen: Bool) async throws {
            var configuration = try TestDatabase.configuration()
            configuration.maximumConnections = 3
            configuration.keepsConnectionsOpen = keepsOpen
            configuration.applicationName = "upkeep_\(configuration.schema)"
            let store = try await PostgresTaskStore(configuration: configuration)
            let created = try await store.insert(
                TaskRecord(type: "mail", createdBy: "alice", createdAt: Date()))
            let claimed = try await store.claim(
                TaskClaimRequest(owner: "w", now: Date(), leaseDuration: .seconds(30), limit: 5))
            #expect(claimed.map(\.id) == [created.id])
            let open = try await connectionCount(named: configuration.applicationName, through: store)
            #expect((1...configuration.maximumConnections).contains(open), "connections open: \(open)")
            try await store.dropSchema()
            await store.close()
        }

        private func connectionCount(named name: String, through store: PostgresTaskStore) async throws -> Int
        {
            let query: PostgresQuery =
                "SELECT count(*)::int FROM pg_stat_activity WHERE application_name = \(name)"
            for try await (count) in try await store.client.query(query, logger: store.logger).decode(
                Int.self)
            {
                return count
            }
            return 0
        }
    }
#endif  // Postgres
