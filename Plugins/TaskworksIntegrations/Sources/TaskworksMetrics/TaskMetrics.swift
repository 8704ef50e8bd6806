#if Metrics
    import CoreMetrics
    import Foundation
    import Taskworks

    /// Task metrics through swift-metrics, to whatever backend the app bootstrapped (Prometheus,
    /// StatsD, OpenTelemetry…). Run ``run()`` for the app's lifetime, in a task of its own; it ends
    /// when that task is cancelled.
    ///
    /// Emitted, each with the dimension `type` (the task type):
    ///
    /// | metric | kind | when |
    /// |---|---|---|
    /// | `taskworks_tasks_created_total` | counter | a task was created |
    /// | `taskworks_tasks_started_total` | counter | a worker started an attempt |
    /// | `taskworks_tasks_succeeded_total` | counter | a task succeeded |
    /// | `taskworks_tasks_failed_total` | counter | a task failed for good |
    /// | `taskworks_tasks_cancelled_total` | counter | a task was cancelled |
    /// | `taskworks_tasks_retried_total` | counter | an attempt failed and a retry was scheduled, or a caller retried |
    /// | `taskworks_task_queue_wait_seconds` | timer | at start: from creation to this start |
    /// | `taskworks_task_run_seconds` | timer | at the end: from the last start to the end |
    ///
    /// and, without dimensions, gauges read from the store's counts every ``countsInterval``:
    /// `taskworks_tasks_running` and `taskworks_tasks_pending` (every process sharing the store sees
    /// the same numbers).
    ///
    /// The counters and timers come from the service's event stream, so they count what this
    /// process's service and pools did: tasks created here, attempts run by pools here.
    public struct TaskMetrics: Sendable {
        /// The service whose events are counted.
        public let service: TaskService
        /// How often the running and pending gauges are read from the store. Default 10 s.
        public let countsInterval: Duration
        private let factory: any MetricsFactory

        /// Metrics for `service`, made by `factory` (default: the one `MetricsSystem` was
        /// bootstrapped with).
        public init(
            service: TaskService, countsInterval: Duration = .seconds(10),
            factory: (any MetricsFactory)? = nil
        ) {
            self.service = service
            self.countsInterval = max(.milliseconds(10), countsInterval)
            self.factory = factory ?? MetricsSystem.factory
        }

        /// Counts events and reads the gauges until cancelled.
        public func run() async throws {
            let events = try service.events(for: .system, bufferSize: 4_096)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in events { record(event) }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await readGauges()
                        try await Task.sleep(for: countsInterval)
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }

        /// Reads the running and pending gauges once.
        public func readGauges() async throws {
            let counts = try await service.counts(for: .system)
            Gauge(label: "taskworks_tasks_running", factory: factory).record(counts.byStatus[.running] ?? 0)
            Gauge(label: "taskworks_tasks_pending", factory: factory).record(counts.byStatus[.pending] ?? 0)
        }

        /// Updates the metrics one event concerns.
        public func record(_ event: TaskEvent) {
            let task = event.task
            let dimensions = [("type", task.type)]
            func count(_ label: String) {
                Counter(label: label, dimensions: dimensions, factory: factory).increment()
            }
            func time(_ label: String, from start: Date?, to end: Date?) {
                guard let start, let end, end >= start else { return }
                let nanoseconds = (end.timeIntervalSince(start) * 1e9).rounded()
                guard nanoseconds < 9e18 else { return }
                Timer(label: label, dimensions: dimensions, factory: factory).recordNanoseconds(
                    Int64(nanoseconds))
            }
            switch event.kind {
            case .created:
                count("taskworks_tasks_created_total")
            case .started:
                count("taskworks_tasks_started_total")
                time("taskworks_task_queue_wait_seconds", from: task.createdAt, to: task.startedAt)
            case .retryScheduled, .retried:
                count("taskworks_tasks_retried_total")
            case .finished:
                switch task.status {
                case .succeeded: count("taskworks_tasks_succeeded_total")
                case .failed: count("taskworks_tasks_failed_total")
                case .cancelled: count("taskworks_tasks_cancelled_total")
                default: break
                }
                time("taskworks_task_run_seconds", from: task.startedAt, to: task.finishedAt)
            default:
                break  // progress, cancel requests, requeues, deletions, pauses and kinds added later
            }
        }
    }
#endif  // Metrics
