#if ServiceLifecycle
    import ServiceLifecycle
    import Taskworks

    /// A `TaskScheduler` as a ServiceLifecycle `Service`: it fires due schedules until graceful
    /// shutdown (or cancellation), then returns. A run already created is a task like any other: the
    /// pools finish it or hand it back.
    public struct TaskSchedulerService: Service {
        /// The scheduler it runs.
        public let scheduler: TaskScheduler

        /// Wraps `scheduler`.
        public init(_ scheduler: TaskScheduler) {
            self.scheduler = scheduler
        }

        /// Runs the scheduler until graceful shutdown or cancellation.
        public func run() async throws {
            let scheduler = self.scheduler
            do {
                try await cancelWhenGracefulShutdown { try await scheduler.run() }
            } catch is CancellationError {
                // Stopping is how a scheduler ends.
            }
        }
    }
#endif  // ServiceLifecycle
