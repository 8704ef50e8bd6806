import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// ``TaskService/statistics(over:as:)`` on a manual clock: what happened in which minute, the
/// queue depth walked back from now, waits, and visibility.
@Suite("Task statistics")
struct TaskStatisticsTests {
    @Test func minutesCountCreatesStartsOutcomesAndTheQueueDepth() async throws {
        // 5 s into a minute, so every step below lands in a known minute.
        let clock = ManualTaskClock(Date(timeIntervalSinceReferenceDate: 840_000_000 + 5))
        let registry = TaskRegistry()
        try registry.register("a") { _ in ClosureTaskRunner { _ in nil } }
        try registry.register("b", defaults: .init(maxRetries: 0)) { _ in
            ClosureTaskRunner { _ in throw TaskFailure.permanent("no") }
        }
        let service = TaskService(store: InMemoryTaskStore(), registry: registry, clock: clock)
        for _ in 0..<3 { _ = try await service.create("a", createdBy: .user("alice")) }
        _ = try await service.create("b", createdBy: .user("bob"))
        clock.advance(by: 60)
        #expect(try await service.drainInline().count == 4)  // a: 3 succeed, b: fails, a minute later
        clock.advance(by: 60)
        for _ in 0..<2 { _ = try await service.create("a", createdBy: .user("alice")) }

        let stats = try await service.statistics(over: .seconds(300), as: .system)
        #expect(stats.minutes == 5)
        let a = try #require(stats.byType["a"])
        let b = try #require(stats.byType["b"])
        #expect(a.created == [0, 0, 3, 0, 2])
        #expect(a.started == [0, 0, 0, 3, 0])
        #expect(a.succeeded == [0, 0, 0, 3, 0])
        #expect(b.failed == [0, 0, 0, 1, 0])
        #expect(a.queueDepth == [0, 0, 3, 0, 2])
        #expect(b.queueDepth == [0, 0, 1, 0, 0])
        #expect(stats.total.queueDepth == [0, 0, 4, 0, 2])
        #expect(stats.total.created == [0, 0, 4, 0, 2])
        #expect(stats.waitP50 == .seconds(60) && stats.waitP95 == .seconds(60))
        #expect(stats.busiestTypes == ["a", "b"])

        let alices = try await service.statistics(over: .seconds(300), as: .user("alice"))
        #expect(alices.byType["b"] == nil)
        #expect(alices.total.created == [0, 0, 3, 0, 2])
    }

    @Test(arguments: [Duration.seconds(59), .seconds(86_401), .zero])
    func aWindowOutsideOneMinuteToADayIsRefused(window: Duration) async throws {
        let service = TaskService(store: InMemoryTaskStore(), registry: TaskRegistry())
        let error = await #expect(throws: TaskworksError.self) {
            _ = try await service.statistics(over: window, as: .system)
        }
        #expect(error?.code == .invalidInput)
    }
}
