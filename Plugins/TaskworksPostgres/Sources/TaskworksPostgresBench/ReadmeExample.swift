#if Postgres
    // The DocC article Scaling out's PostgreSQL-in-a-ServiceGroup example, compiled here so it
    // cannot rot; `.ci/check-readme-examples` checks that the article shows exactly these lines.
    import Logging
    import ServiceLifecycle
    import Taskworks
    import TaskworksPostgres

    /// Runs a store in a ServiceGroup with the host's other services (its worker pool among them).
    func runPostgresInServiceGroup(databaseURL: String, logger: Logger, poolService: any Service) async throws
    {
        // readme:begin postgres-service
        var configuration = try PostgresTaskStore.Configuration(url: databaseURL)
        configuration.logger = logger  // postgres-nio's own messages
        configuration.diagnostics = TaskDiagnostics { diagnostic in
            logger.warning("\(diagnostic.message)")  // or TaskDiagnostics(logger:) from TaskworksLogging
        }
        let store = try PostgresTaskStore(runningInServiceGroup: configuration)
        // … make the service and its WorkerPool over `store`, then, store first:
        let group = ServiceGroup(
            services: [store, poolService], gracefulShutdownSignals: [.sigterm], logger: logger)
        try await group.run()  // SIGTERM: the pool drains, then the store closes its connections
        // readme:end postgres-service
    }
#endif  // Postgres
