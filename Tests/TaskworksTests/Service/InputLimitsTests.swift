import Foundation
import TaskStoreConformance
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// No input crashes the process or poisons a store: every value from outside has a documented
/// range, and create refuses anything outside it with `invalidInput`, leaving the store as it was.
@Suite("Input limits")
struct InputLimitsTests {
    /// Drops a deeply nested value one level at a time: holding the child before the parent goes
    /// keeps each release shallow (a recursive release of 100,000 levels would overflow the stack).
    private func dismantle(_ value: inout JSONValue?) {
        guard var current = value.take() else { return }
        while true {
            switch current {
            case .array(let items) where !items.isEmpty: current = items[0]
            case .object(let members) where !members.isEmpty: current = members.values.first ?? .null
            default: return
            }
        }
    }

    private func expectInvalidInput(
        _ what: Comment, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            Issue.record("\(what): expected invalidInput, nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as TaskworksError {
            #expect(error.code == .invalidInput, "\(what): \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(what): expected a TaskworksError, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: StoreFixture.all)
    func aPayloadNestedTooDeepIsRefusedAndTheLimitItselfIsStored(fixture: StoreFixture) async throws {
        let store = try await fixture.make()
        let service = TaskService(store: store, registry: try Sample.registry())
        for depth in [JSONValue.maximumNestingDepth + 1, 100_000] {
            var deep: JSONValue? = GeneratedValues.nested(depth: depth)
            await expectInvalidInput("payload nested \(depth) deep") {
                _ = try await service.create("noop", payload: deep, createdBy: .user("alice"))
            }
            dismantle(&deep)
        }
        #expect(try await service.counts(for: .system).total == 0)
        let limit = GeneratedValues.nested(depth: JSONValue.maximumNestingDepth)
        let task = try await service.create("noop", payload: limit, createdBy: .user("alice"))
        #expect(try await store.task(id: task.id)?.payload == limit)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aPayloadWithANonFiniteNumberIsRefused(number: Double) async throws {
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
        await expectInvalidInput("payload \(number)") {
            _ = try await service.create("noop", payload: JSONValue.double(number), createdBy: .user("alice"))
        }
        await expectInvalidInput("payload with \(number) inside") {
            let payload = JSONValue.object(["rows": .array([.integer(1), .double(number)])])
            _ = try await service.create("noop", payload: payload, createdBy: .user("alice"))
        }
    }

    @Test(arguments: [
        TaskOptions(timeout: .seconds(Int64.max)),
        TaskOptions(timeout: .seconds(-1)),
        TaskOptions(timeout: TaskOptions.maximumTimeout + .milliseconds(1)),
        TaskOptions(delay: .seconds(Int64.max)),
        TaskOptions(delay: .seconds(-1)),
        TaskOptions(delay: TaskOptions.maximumDelay + .seconds(1)),
    ])
    func anOutOfRangeDurationOrDateIsRefused(options: TaskOptions) async throws {
        let store = InMemoryTaskStore()
        let service = TaskService(store: store, registry: try Sample.registry())
        await expectInvalidInput("options \(options)") {
            _ = try await service.create("noop", options: options, createdBy: .user("alice"))
        }
        #expect(try await service.counts(for: .system).total == 0)
    }

    /// Seconds since 2001-01-01 (a NaN `Date` cannot even be printed: Foundation traps on it).
    @Test(arguments: [Double.nan, .infinity, -.infinity, Date.distantFuture.timeIntervalSinceReferenceDate])
    func aRunAfterThatIsNotFiniteOrTooFarAheadIsRefused(seconds: Double) async throws {
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
        await expectInvalidInput("runAfter \(seconds)") {
            let options = TaskOptions(runAfter: Date(timeIntervalSinceReferenceDate: seconds))
            _ = try await service.create("noop", options: options, createdBy: .user("alice"))
        }
        #expect(try await service.counts(for: .system).total == 0)
    }

    @Test func anOutOfRangeDefaultTimeoutIsRefusedAtRegistration() throws {
        let registry = TaskRegistry()
        #expect(throws: TaskworksError.self) {
            try registry.register("slow", defaults: .init(timeout: .seconds(Int64.max))) { _ in
                ClosureTaskRunner { _ in nil }
            }
        }
    }

    @Test func aTaskDueAtTheLongestDelayLeavesThePoolWorking() async throws {
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
        let pool = WorkerPool(service: service, configuration: Fixtures.poolConfiguration())
        try await withRunningPool(pool) {
            let far = try await service.create(
                "noop", options: .init(delay: TaskOptions.maximumDelay), createdBy: .user("alice"))
            let now = try await service.create("noop", createdBy: .user("alice"))
            try await eventually("the task due now succeeded") {
                try await service.task(now.id, as: .system).status == .succeeded
            }
            #expect(try await service.task(far.id, as: .system).status == .pending)
        }
    }

    @Test func aResultNestedTooDeepFailsTheAttemptInsteadOfBeingStored() async throws {
        let registry = TaskRegistry()
        try registry.register("deep") { _ in
            ClosureTaskRunner { _ in GeneratedValues.nested(depth: JSONValue.maximumNestingDepth + 1) }
        }
        let service = TaskService(store: InMemoryTaskStore(), registry: registry)
        let pool = WorkerPool(service: service, configuration: Fixtures.poolConfiguration())
        try await withRunningPool(pool) {
            let task = try await service.create(
                "deep", options: .init(maxRetries: 0), createdBy: .user("alice"))
            try await eventually("the attempt failed") {
                try await service.task(task.id, as: .system).status == .failed
            }
            let failed = try await service.task(task.id, as: .system)
            #expect(failed.result == nil)
            #expect(failed.errorMessage?.contains("512") == true)
        }
    }
}
