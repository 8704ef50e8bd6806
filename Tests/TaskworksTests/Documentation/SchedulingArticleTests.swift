import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// The code of the DocC article *Scheduling*, compiled and run on a manual clock, so what the
/// article says about when things happen is checked without waiting.
@Suite("Article: Scheduling")
struct SchedulingArticleTests {
    struct Report: Codable, Sendable { var kind: String }

    let clock = ManualTaskClock()  // 2027-01-15 08:00:00 UTC
    let registry: TaskRegistry
    let service: TaskService

    init() throws {
        registry = TaskRegistry()
        for type in ["send_reminder", "rebuild_index", "refresh_cache", "report"] {
            try registry.register(type) { _ in ClosureTaskRunner { _ in nil } }
        }
        service = TaskService(store: InMemoryTaskStore(), registry: registry, clock: clock)
    }

    @Test func delayedAndUniqueTasks() async throws {
        let reminder = ["to": "alice"]
        // readme:begin scheduling-delayed
        // Not before a date, or after a delay.
        let later = try await service.create(
            "send_reminder", payload: reminder, options: .init(delay: .seconds(3600)), createdBy: .system)

        // At most one pending or running task per key, atomically (across processes too).
        let creation = try await service.createReportingDuplicate(
            "rebuild_index", options: .init(uniqueKey: "rebuild-index"), createdBy: .system)
        if creation.isDuplicate { print("already queued as", creation.task.id) }
        // readme:end scheduling-delayed
        #expect(later.runAfter == clock.now().addingTimeInterval(3600))
        #expect(!creation.isDuplicate)
        let again = try await service.createReportingDuplicate(
            "rebuild_index", options: .init(uniqueKey: "rebuild-index"), createdBy: .system)
        #expect(again.isDuplicate && again.task.id == creation.task.id)
        // Nothing runs the reminder before its hour: only the index rebuild is due.
        #expect(try await service.drainInline().map(\.id) == [creation.task.id])
        clock.advance(by: 3600)
        #expect(try await service.drainInline().map(\.id) == [later.id])
    }

    @Test func intervalAndCronSchedules() async throws {
        // readme:begin scheduling-schedules
        let scheduler = TaskScheduler(service: service)
        try scheduler.add(
            TaskSchedule(
                name: "refresh-cache", taskType: "refresh_cache",
                trigger: .interval(.seconds(300), runAtStart: true)))
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        try scheduler.add(
            TaskSchedule(
                name: "nightly-report", taskType: "report", payload: Report(kind: "daily"),
                trigger: .cron("0 2 * * *", timeZone: paris)))
        // readme:end scheduling-schedules
        // At start, runAtStart fires refresh-cache once; nightly-report waits for 02:00 in Paris.
        let atStart = try await scheduler.tick()
        #expect(atStart.count == 1)
        // 08:00 UTC is 09:00 in Paris: the next 02:00 there is 01:00 UTC tomorrow, 17 h away.
        clock.advance(by: 17 * 3600)
        _ = try await service.drainInline()
        let fired = try await scheduler.tick()
        let names = Set(
            fired.compactMap { outcome -> String? in
                if case .fired(let schedule, _, _) = outcome { return schedule }
                return nil
            })
        #expect(names == ["refresh-cache", "nightly-report"], "one refresh for the latest tick, no burst")
        // No overlap: while the 02:00 run is pending, running it now creates nothing.
        guard case .skipped = try await scheduler.runNow("nightly-report") else {
            Issue.record("a run was created while the previous one was pending")
            return
        }
        _ = try await service.drainInline()
        // readme:begin scheduling-run-now
        try await scheduler.runNow("nightly-report")  // the manual trigger for an admin endpoint
        // readme:end scheduling-run-now
        #expect(try await service.counts(for: .system).byType["report"] == 2)
    }

    @Test func aMalformedScheduleNamesItsBadField() {
        #expect(throws: TaskworksError.self) {
            try TaskSchedule(name: "bad", taskType: "report", trigger: .cron("61 * * * *"))
        }
        #expect(throws: TaskworksError.self) {
            try TaskSchedule(name: "bad", taskType: "report", trigger: .interval(.zero, runAtStart: false))
        }
    }
}
