#if ServiceLifecycle && Logging && Metrics && Tracing
    // The DocC article Observability's example, compiled here so it cannot rot;
    // `.ci/check-readme-examples` checks that the article shows exactly the marked lines.
    import Logging
    import ServiceLifecycle
    import Taskworks
    import TaskworksLogging
    import TaskworksMetrics
    import TaskworksServiceLifecycle
    import TaskworksTracing

    /// Runs a pool with every integration wired up, until SIGTERM.
    func runWithLogsMetricsAndTraces(store: any TaskStore, registry: TaskRegistry) async throws {
        // readme:begin observability
        // At start-up, bootstrap your backends once: LoggingSystem, MetricsSystem (e.g. Prometheus)
        // and InstrumentationSystem (e.g. swift-otel). Taskworks reports to whatever they hold.
        let logger = Logger(label: "my-app")

        var configuration = TaskService.Configuration()
        configuration.diagnostics = TaskDiagnostics(logger: logger)  // Taskworks' own messages
        configuration.runnerLogHandler = logger.taskLogHandler  // runners' context.log lines
        configuration.metadataProviders = [TaskTraceContextPropagation()]  // the creator's trace
        let service = TaskService(store: store, registry: registry, configuration: configuration)

        var poolConfiguration = WorkerPool.Configuration(concurrency: 4)
        poolConfiguration.middleware = [TaskTracingMiddleware()]  // a span per attempt
        let pool = WorkerPool(service: service, configuration: poolConfiguration)

        let metrics = TaskMetrics(service: service)  // counters, timers and gauges
        let recording = Task { try await metrics.run() }
        defer { recording.cancel() }

        let group = ServiceGroup(
            services: [WorkerPoolService(pool)], gracefulShutdownSignals: [.sigterm], logger: logger)
        try await group.run()
        // readme:end observability
    }
#endif  // ServiceLifecycle && Logging && Metrics && Tracing
