#if Postgres
    import PostgresNIO
    import Taskworks

    extension PostgresTaskStore {
        /// Who runs the store's PostgreSQL client, and so who closes it.
        enum ClientRole: Sendable {
            /// ``init(configuration:)``: a task of the store's own, cancelled by ``close()``.
            case runsOnItsOwn(Task<Void, Never>)
            /// ``init(runningInServiceGroup:)``: the store's ``run()``.
            case runsInService
            /// The host's client, shared: the host runs it and closes it; the store never does.
            case shared
        }

        /// Opens a store on the host's own `client`, which the host already runs (`client.run()`):
        /// the store's statements share its connections, and ``close()`` leaves it running. Creates
        /// or migrates the schema now, or with ``MigrationPolicy/manual`` checks that it is current.
        ///
        /// ```swift
        /// let client = PostgresClient(configuration: appDatabase)  // the app's own, already running
        /// let store = try await PostgresTaskStore(sharing: client, configuration: .init(url: databaseURL))
        /// ```
        ///
        /// Only ``Configuration/schema``, ``Configuration/migrations``, ``Configuration/statementTimeout``,
        /// ``Configuration/connectionAttempts``, ``Configuration/preparesStatements`` and the reporting
        /// settings apply; the connection settings are the client's. Keep the client's
        /// `minimumConnections` at 0: postgres-nio's pool can stop the process when a server restart
        /// drops its connections below a minimum (see ``init(configuration:)``).
        ///
        /// - Throws: as ``init(configuration:)``; `TaskworksError.Code.storageFailure` when the
        ///   schema is not current and ``Configuration/migrations`` is ``MigrationPolicy/manual``.
        public convenience init(sharing client: PostgresClient, configuration: Configuration) async throws {
            try configuration.validate()
            let applied = try await PostgresTaskStore.openSchema(client: client, configuration: configuration)
            self.init(
                configuration: configuration, client: client, clientRole: .shared,
                readiness: StoreReadiness(readyWith: applied))
        }

        /// Makes a store on the host's own `client` for a `ServiceGroup` that runs both: list the
        /// client before the store. The store's ``run()`` opens the schema (as
        /// ``init(sharing:configuration:)`` does) and serves until graceful shutdown; it never runs
        /// or closes the client. Calls made before the schema is open wait for it.
        ///
        /// - Throws: `TaskworksError.Code.invalidInput` for a bad configuration.
        public convenience init(
            sharing client: PostgresClient, runningInServiceGroup configuration: Configuration
        )
            throws
        {
            try configuration.validate()
            self.init(
                configuration: configuration, client: client, clientRole: .shared, readiness: StoreReadiness()
            )
        }
    }
#endif  // Postgres
