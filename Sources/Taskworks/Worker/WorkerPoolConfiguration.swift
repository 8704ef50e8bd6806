import Foundation

extension WorkerPool {
    /// How a pool claims and runs tasks. Every value has a sensible default.
    ///
    /// ```swift
    /// var configuration = WorkerPool.Configuration(concurrency: 4)
    /// configuration.pollInterval = .milliseconds(500)
    /// configuration.shutdownGracePeriod = .seconds(30)
    /// ```
    public struct Configuration: Sendable {
        /// How many tasks run at once. Default 10; change it while running with
        /// ``WorkerPool/setConcurrency(_:)``.
        public var concurrency: Int
        /// How often an idle pool looks for work it was not woken for (tasks created by another
        /// process, delays that came due) and sweeps expired leases. Default 1 s. Tasks created
        /// through the same ``TaskService`` wake the pool at once.
        public var pollInterval: Duration
        /// How long a claimed task stays reserved without a renewal. Default 30 s. A worker that
        /// dies loses its tasks to another worker once this runs out.
        public var leaseDuration: Duration
        /// How often a running task's lease is renewed (and a cancel requested from another
        /// process noticed). Default: a third of ``leaseDuration``.
        public var leaseRenewalInterval: Duration?
        /// How long running tasks may go on after shutdown begins before they are stopped and
        /// put back to pending. Default 10 s.
        public var shutdownGracePeriod: Duration
        /// Backoff between automatic retries.
        public var retryPolicy: RetryPolicy
        /// Claim only these task types; `nil` (the default) claims every type. A claimed task
        /// whose type this process did not register ends `failed`.
        public var taskTypes: Set<String>?
        /// The lease owner written on claimed tasks. Default: a unique `worker-PID-RANDOM`.
        public var workerID: String
        /// Called when the store fails during a claim, renewal, outcome write or sweep; the pool
        /// keeps going and retries after ``pollInterval``. An error described exactly like one
        /// reported within the last ``pollInterval`` is not reported again (a full disk is
        /// reported once per interval, not once per failed write). Default `nil`: an `error`
        /// diagnostic (with `worker.id`) to the service's ``TaskService/Configuration/diagnostics``.
        public var storeErrorHandler: (@Sendable (any Error) -> Void)?
        /// Removes old finished and deleted tasks every ``RetentionPolicy/interval``; `nil` (the
        /// default) keeps everything.
        public var retention: RetentionPolicy?
        /// Wraps every attempt, the first outermost (``TaskAttemptMiddleware``). Default none.
        public var middleware: [any TaskAttemptMiddleware] = []

        /// Makes a configuration.
        public init(concurrency: Int = 10) {
            self.concurrency = concurrency
            self.pollInterval = .seconds(1)
            self.leaseDuration = .seconds(30)
            self.leaseRenewalInterval = nil
            self.shutdownGracePeriod = .seconds(10)
            self.retryPolicy = RetryPolicy()
            self.taskTypes = nil
            self.retention = nil
            let suffix = UUID().uuidString.prefix(8).lowercased()
            self.workerID = "worker-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
            self.storeErrorHandler = nil
        }

        /// The renewal interval in effect.
        var effectiveRenewalInterval: Duration {
            leaseRenewalInterval ?? leaseDuration / 3
        }

        /// Whether `task`'s lease, as last stored, runs out before a renewal made one interval
        /// from `now` could extend it. A runner whose renewal just failed must then stop: once
        /// the lease has expired, another pool may rescue the task and run it.
        func leaseRunsOutBeforeNextRenewal(of task: TaskRecord, at now: Date) -> Bool {
            guard let expiry = task.leaseExpiresAt else { return true }
            return expiry.timeIntervalSince(now) < effectiveRenewalInterval.timeInterval
        }

        /// Checks every value.
        ///
        /// - Throws: ``TaskworksError/Code/invalidInput`` naming the bad field.
        func validate() throws {
            try WorkerPool.checkConcurrency(concurrency)
            guard pollInterval >= .milliseconds(1) else {
                throw TaskworksError.invalidInput("pollInterval must be at least 1 ms; got \(pollInterval)")
            }
            guard leaseDuration >= .milliseconds(10) else {
                throw TaskworksError.invalidInput(
                    "leaseDuration must be at least 10 ms; got \(leaseDuration)")
            }
            let renewal = effectiveRenewalInterval
            guard renewal >= .milliseconds(1), renewal < leaseDuration else {
                throw TaskworksError.invalidInput(
                    "leaseRenewalInterval must be at least 1 ms and shorter than leaseDuration "
                        + "(\(leaseDuration)); got \(renewal)")
            }
            guard shutdownGracePeriod >= .zero else {
                throw TaskworksError.invalidInput("shutdownGracePeriod must not be negative")
            }
            guard !workerID.isEmpty, workerID.utf8.count <= 200 else {
                throw TaskworksError.invalidInput("workerID must be 1–200 bytes")
            }
            try retryPolicy.validate()
            try retention?.validate()
        }
    }
}
