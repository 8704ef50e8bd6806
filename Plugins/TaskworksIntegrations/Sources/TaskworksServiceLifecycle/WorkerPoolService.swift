#if ServiceLifecycle
    import ServiceLifecycle
    import Taskworks

    /// A `WorkerPool` as a ServiceLifecycle `Service`: add it to your `ServiceGroup` (or
    /// Hummingbird's `app.addServices`) and the pool runs for the app's lifetime.
    ///
    /// **Graceful shutdown** (SIGTERM, say) is not cancellation: the pool stops claiming, hands back
    /// the tasks it claimed but never started, lets running tasks finish within its
    /// `WorkerPool.Configuration.shutdownGracePeriod` (then cancels them and puts them back to
    /// pending), waits for the completion callbacks still running within the same period, and
    /// ``run()`` returns once every outcome is stored. **Cancelling** ``run()`` is the hard stop,
    /// as for the pool itself: runners stop at once and their tasks go back to pending.
    ///
    /// ```swift
    /// let group = ServiceGroup(
    ///     services: [WorkerPoolService(pool), TaskSchedulerService(scheduler), httpServer],
    ///     gracefulShutdownSignals: [.sigterm], logger: logger)
    /// try await group.run()
    /// ```
    public struct WorkerPoolService: Service {
        /// The pool it runs.
        public let pool: WorkerPool

        /// Wraps `pool`.
        public init(_ pool: WorkerPool) {
            self.pool = pool
        }

        /// Runs the pool until graceful shutdown (then drains as described above) or cancellation.
        public func run() async throws {
            let pool = self.pool
            try await withGracefulShutdownHandler {
                try await pool.run()
            } onGracefulShutdown: {
                pool.shutdown()
            }
        }
    }
#endif  // ServiceLifecycle
