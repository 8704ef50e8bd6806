#if Vapor
    import NIOConcurrencyHelpers
    import Taskworks
    import TaskworksHTTP
    import Vapor

    /// Runs a worker pool (and a scheduler, if any) for as long as a Vapor application runs:
    /// `app.lifecycle.use(TaskworksLifecycle(pool: pool, scheduler: scheduler, mount: mount))`.
    ///
    /// They start once the application has booted. At shutdown open event streams end, the
    /// scheduler stops, and the pool lets running tasks finish within its grace period and hands
    /// the rest back to pending.
    public final class TaskworksLifecycle: LifecycleHandler {
        /// The pool it runs.
        public let pool: WorkerPool
        /// The scheduler it runs, if any.
        public let scheduler: TaskScheduler?
        /// The mount whose event streams end at shutdown, if any.
        public let mount: TaskHTTPMount?
        /// The running pool and scheduler, between boot and shutdown.
        private struct Running {
            var pool: Task<Void, any Error>
            var scheduler: Task<Void, any Error>?
        }
        private let running = NIOLockedValueBox<Running?>(nil)

        /// Makes the handler; nothing runs until the application boots.
        public init(pool: WorkerPool, scheduler: TaskScheduler? = nil, mount: TaskHTTPMount? = nil) {
            self.pool = pool
            self.scheduler = scheduler
            self.mount = mount
        }

        /// Starts the pool and the scheduler.
        public func didBootAsync(_ application: Application) async throws {
            let pool = self.pool
            let scheduler = self.scheduler
            let started = Running(
                pool: Task { try await pool.run() },
                scheduler: scheduler.map { scheduler in Task { try await scheduler.run() } })
            running.withLockedValue { $0 = started }
        }

        /// Ends event streams, stops the scheduler, then the pool (within its grace period).
        public func shutdownAsync(_ application: Application) async {
            mount?.finishEventStreams()
            let stopping = running.withLockedValue { running in
                defer { running = nil }
                return running
            }
            stopping?.scheduler?.cancel()
            pool.shutdown()
            _ = try? await stopping?.scheduler?.value
            _ = try? await stopping?.pool.value
        }
    }
#endif
