import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

@Suite("Scheduler")
struct TaskSchedulerTests {
    /// 2026-11-25T10:00:30Z
    static let start = Date(timeIntervalSince1970: 1_795_687_230)

    static func minuteSchedule(runAtStart: Bool = false) throws -> TaskSchedule {
        try TaskSchedule(
            name: "every-minute", taskType: "noop", trigger: .interval(.seconds(60), runAtStart: runAtStart))
    }

    private func finishAll(_ service: TaskService) async throws {
        for task in try await service.list(
            TaskQuery(statuses: [.pending, .running], pageSize: 100), as: .system
        ).items {
            try await service.store.force(task.id) {
                $0.status = .succeeded
                $0.leaseOwner = nil
            }
        }
    }

    private func firedTicks(_ outcomes: [TaskScheduler.Outcome]) -> [Date] {
        outcomes.compactMap { if case .fired(_, let tick, _) = $0 { tick } else { nil } }
    }

    @Test func intervalTicksAreAlignedFireOnceAndSkipWhileARunIsActive() async throws {
        let clock = ManualTaskClock(TaskSchedulerTests.start)
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry(), clock: clock)
        let scheduler = TaskScheduler(service: service)
        try scheduler.add(TaskSchedulerTests.minuteSchedule())
        #expect(try await scheduler.tick().isEmpty)  // the first tick is 10:01:00
        clock.advance(by: 30)
        let first = try await scheduler.tick()
        #expect(firedTicks(first) == [Date(timeIntervalSince1970: 1_795_687_260)])
        #expect(try await scheduler.tick().isEmpty)  // the same tick never fires twice
        clock.advance(by: 60)
        let overlapping = try await scheduler.tick()  // the 10:01 run is still pending
        guard case .skipped(_, _, let running)? = overlapping.first else {
            Issue.record("expected a skip, got \(overlapping)")
            return
        }
        #expect(running.status == .pending)
        #expect(try await service.counts(for: .system).total == 1)
        try await finishAll(service)
        clock.advance(by: 60)
        #expect(firedTicks(try await scheduler.tick()) == [Date(timeIntervalSince1970: 1_795_687_380)])
    }

    @Test func afterAnHourOfDowntimeAMinuteScheduleRunsOnceNotSixtyTimes() async throws {
        let clock = ManualTaskClock(TaskSchedulerTests.start)
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry(), clock: clock)
        let scheduler = TaskScheduler(service: service)
        try scheduler.add(TaskSchedulerTests.minuteSchedule())
        try await scheduler.tick()
        clock.advance(by: 30)
        try await scheduler.tick()
        try await finishAll(service)
        clock.advance(by: 3600 + 15)
        let outcomes = try await scheduler.tick()
        // the latest tick
        #expect(firedTicks(outcomes) == [Date(timeIntervalSince1970: 1_795_687_260 + 3600)])
        #expect(try await service.counts(for: .system).total == 2)
    }

    @Test func runAtStartFiresOncePerIntervalAcrossRestarts() async throws {
        let clock = ManualTaskClock(TaskSchedulerTests.start)
        let store = InMemoryTaskStore()
        let service = TaskService(store: store, registry: try Sample.registry(), clock: clock)
        let first = TaskScheduler(service: service)
        try first.add(TaskSchedulerTests.minuteSchedule(runAtStart: true))
        #expect(firedTicks(try await first.tick()) == [Date(timeIntervalSince1970: 1_795_687_200)])
        try await finishAll(service)
        clock.advance(by: 10)
        let restarted = TaskScheduler(service: service)  // a restart within the same interval
        try restarted.add(TaskSchedulerTests.minuteSchedule(runAtStart: true))
        #expect(try await restarted.tick().isEmpty)
    }

    // Two schedulers on two handles of one store firing once per tick is the conformance check
    // `engine.schedulersOnTwoHandlesFireOncePerTick`, run on every store.

    @Test func runNowCreatesARunOnDemandButNeverAnOverlap() async throws {
        let clock = ManualTaskClock(TaskSchedulerTests.start)
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry(), clock: clock)
        let scheduler = TaskScheduler(service: service)
        try scheduler.add(
            try TaskSchedule(name: "report", taskType: "noop", trigger: .cron("0 2 * * *", timeZone: .gmt)))
        guard case .fired(_, _, let task) = try await scheduler.runNow("report") else {
            Issue.record("expected a run")
            return
        }
        #expect(task.createdBy == "system")
        guard case .skipped = try await scheduler.runNow("report") else {
            Issue.record("expected a skip while the first run is pending")
            return
        }
        let error = await #expect(throws: TaskworksError.self) { try await scheduler.runNow("nope") }
        #expect(error?.code == .invalidInput)
    }

    @Test func aCronScheduleFiresAtItsLocalTime() async throws {
        let clock = ManualTaskClock(ISO8601DateFormatter().date(from: "2026-11-25T07:59:00Z") ?? .distantPast)
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry(), clock: clock)
        let scheduler = TaskScheduler(service: service)
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        try scheduler.add(
            try TaskSchedule(name: "morning", taskType: "noop", trigger: .cron("0 9 * * *", timeZone: paris)))
        #expect(try await scheduler.tick().isEmpty)
        clock.advance(by: 60)  // 08:00Z is 09:00 in Paris
        #expect(
            firedTicks(try await scheduler.tick()).map { ISO8601DateFormatter().string(from: $0) } == [
                "2026-11-25T08:00:00Z"
            ])
    }

    @Test func badSchedulesAreTypedErrorsAtRegistration() throws {
        let zero = #expect(throws: TaskworksError.self) {
            try TaskSchedule(name: "x", taskType: "noop", trigger: .interval(.zero, runAtStart: false))
        }
        #expect(zero?.message.contains("interval must be positive") == true)
        let cron = #expect(throws: TaskworksError.self) {
            try TaskSchedule(name: "x", taskType: "noop", trigger: .cron("61 * * * *"))
        }
        #expect(cron?.message.contains("field 1 (minute)") == true)
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
        let scheduler = TaskScheduler(service: service)
        let unknown = #expect(throws: TaskworksError.self) {
            try scheduler.add(
                try TaskSchedule(
                    name: "x", taskType: "missing", trigger: .interval(.seconds(1), runAtStart: false)))
        }
        #expect(unknown?.code == .unknownTaskType)
        try scheduler.add(
            try TaskSchedule(name: "x", taskType: "noop", trigger: .interval(.seconds(1), runAtStart: false)))
        #expect(throws: TaskworksError.self) {
            try scheduler.add(
                try TaskSchedule(
                    name: "x", taskType: "noop", trigger: .interval(.seconds(2), runAtStart: false)))
        }
    }

    @Test func scheduleStateIsNoTaskAndReadsBack() async throws {
        let clock = ManualTaskClock(TaskSchedulerTests.start)
        let store = InMemoryTaskStore()
        let service = TaskService(store: store, registry: try Sample.registry(), clock: clock)
        let scheduler = TaskScheduler(service: service)
        try scheduler.add(TaskSchedulerTests.minuteSchedule(runAtStart: true))
        try await scheduler.tick()
        let page = try await service.list(TaskQuery(pageSize: 100), as: .admin("root"))
        #expect(page.items.map(\.type) == ["noop"])
        #expect(try await service.counts(for: .system).byType == ["noop": 1])
        let alignedStart = Date(
            timeIntervalSince1970: (TaskSchedulerTests.start.timeIntervalSince1970 / 60).rounded(.down) * 60)
        #expect(try await store.lastScheduleTick("every-minute") == alignedStart)
        #expect(LegacyScheduleMarker.id(for: "a") == LegacyScheduleMarker.id(for: "a"))
        #expect(LegacyScheduleMarker.id(for: "a") != LegacyScheduleMarker.id(for: "b"))
    }
}
