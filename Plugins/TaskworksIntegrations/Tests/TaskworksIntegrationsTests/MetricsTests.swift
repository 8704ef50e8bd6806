#if Metrics
    import Foundation
    import MetricsTestKit
    import Taskworks
    import TaskworksMetrics
    import TaskworksTesting
    import Testing

    /// The metrics one task emits, read back with swift-metrics' test kit.
    @Suite("swift-metrics")
    struct MetricsTests {
        @Test func oneTaskCountsItsLifeAndTimesItsWaitAndRun() async throws {
            let metrics = TestMetrics()
            let registry = TaskRegistry()
            try registry.register("report", defaults: .init(maxRetries: 1)) { _ in
                ClosureTaskRunner { context in
                    if context.task.attempts == 1 { throw CancellationError() }  // the first attempt fails
                    return nil
                }
            }
            let service = TaskService(store: InMemoryTaskStore(), registry: registry)
            let recorder = TaskMetrics(service: service, countsInterval: .milliseconds(20), factory: metrics)
            let recording = Task { try await recorder.run() }
            defer { recording.cancel() }
            var configuration = WorkerPool.Configuration(concurrency: 1)
            configuration.retryPolicy = RetryPolicy(initialDelay: .zero, jitter: 0)
            let pool = WorkerPool(service: service, configuration: configuration)
            // The stream is subscribed once run() has started: wait for the first gauge reading.
            try await eventually("the metrics loop started") {
                (try? metrics.expectGauge("taskworks_tasks_pending")) != nil
            }
            let task = try await withRunningPool(pool) {
                let task = try await service.create("report", createdBy: .user("alice"))
                try await eventually("the task succeeded on its second attempt") {
                    try await service.task(task.id, as: .system).status == .succeeded
                }
                return task
            }
            let type = [("type", "report")]
            try await eventually("every event was counted") {
                (try? metrics.expectCounter("taskworks_tasks_succeeded_total", type).totalValue) == 1
            }
            #expect(try metrics.expectCounter("taskworks_tasks_created_total", type).totalValue == 1)
            #expect(try metrics.expectCounter("taskworks_tasks_started_total", type).totalValue == 2)
            #expect(try metrics.expectCounter("taskworks_tasks_retried_total", type).totalValue == 1)
            #expect((try? metrics.expectCounter("taskworks_tasks_failed_total", type)) == nil)
            #expect(try metrics.expectTimer("taskworks_task_queue_wait_seconds", type).values.count == 2)
            let run = try metrics.expectTimer("taskworks_task_run_seconds", type).values
            #expect(run.count == 1 && run[0] >= 0)
            _ = task
            try await recorder.readGauges()
            #expect(try metrics.expectGauge("taskworks_tasks_running").lastValue == 0)
            #expect(try metrics.expectGauge("taskworks_tasks_pending").lastValue == 0)
            let emitted =
                metrics.counters.map { "counter \($0.label)\($0.dimensions) = \($0.totalValue)" }
                + metrics.timers.map { "timer \($0.label)\($0.dimensions) × \($0.values.count)" }
                + metrics.recorders.map { "gauge \($0.label)\($0.dimensions) = \($0.lastValue ?? -1)" }
            print("metrics emitted for one task:\n  " + emitted.sorted().joined(separator: "\n  "))
        }

        @Test func aCancelledTaskIsCountedAsCancelled() async throws {
            let metrics = TestMetrics()
            let service = TaskService(
                store: InMemoryTaskStore(),
                registry: try {
                    let registry = TaskRegistry()
                    try registry.register("idle") { _ in ClosureTaskRunner { _ in nil } }
                    return registry
                }())
            let recorder = TaskMetrics(service: service, factory: metrics)
            let task = try await service.create("idle", createdBy: .user("alice"))
            recorder.record(
                TaskEvent(kind: .finished, task: try await service.cancel(task.id, as: .user("alice"))))
            #expect(
                try metrics.expectCounter("taskworks_tasks_cancelled_total", [("type", "idle")]).totalValue
                    == 1)
            // Never started: no run time to record.
            #expect((try? metrics.expectTimer("taskworks_task_run_seconds", [("type", "idle")])) == nil)
        }
    }
#endif  // Metrics
