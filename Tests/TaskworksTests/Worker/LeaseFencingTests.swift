import Foundation
import Synchronization
import TaskworksTesting
import Testing

@testable import Taskworks

/// A runner never runs on past its lease: once the lease has run out another pool may rescue
/// the task and run it, so a pool that cannot renew a lease stops its runner before then.
@Suite("Lease fencing")
struct LeaseFencingTests {
    /// Updates (lease renewals among them) fail while `failingUpdates` is set, and get no
    /// answer until `hungUpdatesFail` opens while `hangingUpdates` is set.
    final class FlakyUpdateStore: ForwardingTaskStore {
        let base: any TaskStore
        let failingUpdates = Atomic<Bool>(false)
        let failedUpdates = Atomic<Int>(0)
        let hangingUpdates = Atomic<Bool>(false)
        let hungUpdates = Atomic<Int>(0)
        let hungUpdatesFail = TestGate()
        /// Seconds `clock` moves on as each claim returns: a claim whose answer took that long.
        let claimDelay: TimeInterval
        let clock: ManualTaskClock

        init(base: any TaskStore, clock: ManualTaskClock, claimDelay: TimeInterval = 0) {
            self.base = base
            self.clock = clock
            self.claimDelay = claimDelay
        }

        func update(_ task: TaskRecord, expectedVersion: UInt64) async throws -> TaskUpdateResult {
            if hangingUpdates.load(ordering: .sequentiallyConsistent) {
                hungUpdates.add(1, ordering: .sequentiallyConsistent)
                try await hungUpdatesFail.waitIgnoringCancellation()
                throw TaskworksError.storageFailure("no answer from the server")
            }
            if failingUpdates.load(ordering: .sequentiallyConsistent) {
                failedUpdates.add(1, ordering: .sequentiallyConsistent)
                throw TaskworksError.storageFailure("the connection to the server failed")
            }
            return try await base.update(task, expectedVersion: expectedVersion)
        }

        func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord] {
            let claimed = try await base.claim(request)
            if !claimed.isEmpty { clock.advance(by: claimDelay) }
            return claimed
        }
    }

    private static func configuration() -> WorkerPool.Configuration {
        var configuration = Fixtures.poolConfiguration(concurrency: 1)
        configuration.leaseDuration = .seconds(30)
        configuration.leaseRenewalInterval = .milliseconds(20)
        configuration.storeErrorHandler = { _ in }
        return configuration
    }

    /// How the lease renewals of a running task go wrong.
    enum RenewalFault: String, CaseIterable, CustomTestStringConvertible {
        /// Every renewal fails (the connection broke, every try).
        case fails
        /// A renewal gets no answer (a connection that hangs).
        case getsNoAnswer
        var testDescription: String { rawValue }
    }

    @Test(arguments: RenewalFault.allCases)
    func aRunnerWhoseLeaseCannotBeRenewedStopsBeforeTheLeaseRunsOut(fault: RenewalFault) async throws {
        let clock = ManualTaskClock()
        let store = FlakyUpdateStore(base: InMemoryTaskStore(), clock: clock)
        let started = TestGate()
        let stopped = TestGate()
        let registry = TaskRegistry()
        try registry.register("long") { _ in blockingRunner(started: started, stopped: stopped) }
        let service = TaskService(store: store, registry: registry, clock: clock)
        let pool = WorkerPool(service: service, configuration: Self.configuration())
        let taskID = try await withRunningPool(pool) {
            let task = try await service.create("long", createdBy: .user("alice"))
            try await started.waitIgnoringCancellation()
            let leased = try #require(try await store.base.task(id: task.id))
            let expiry = try #require(leased.leaseExpiresAt)
            // Renewals come due on the manual clock: each 20 ms it moves brings one.
            switch fault {
            case .fails:
                store.failingUpdates.store(true, ordering: .sequentiallyConsistent)
                try await eventually("three renewals failed") {
                    clock.advance(by: 0.02)
                    return store.failedUpdates.load(ordering: .sequentiallyConsistent) >= 3
                }
            case .getsNoAnswer:
                store.hangingUpdates.store(true, ordering: .sequentiallyConsistent)
                try await eventually("a renewal got no answer") {
                    clock.advance(by: 0.02)
                    return store.hungUpdates.load(ordering: .sequentiallyConsistent) >= 1
                }
            }
            // While most of the lease is left, the runner runs on.
            #expect(!stopped.isOpen)
            // Less than half a renewal interval (10 ms) left: the next failed renewal, or the
            // supervisor (which an unanswered renewal does not hold up), stops the runner before
            // a rescuer could take the task.
            clock.set(expiry.addingTimeInterval(-0.005))
            try await stopped.waitIgnoringCancellation()
            if fault == .getsNoAnswer {
                #expect(
                    store.hungUpdates.load(ordering: .sequentiallyConsistent) == 1, "one renewal at a time")
            }
            store.failingUpdates.store(false, ordering: .sequentiallyConsistent)
            store.hangingUpdates.store(false, ordering: .sequentiallyConsistent)
            store.hungUpdatesFail.open()
            return task.id
        }
        // The stopped attempt wrote no outcome: the task waits, running, for its lease to expire
        // and be rescued, as it would for a worker that died.
        let stored = try #require(try await store.base.task(id: taskID))
        #expect(stored.status == .running)
    }

    @Test func aClaimWhoseLeaseRanOutWhileItWasAnsweredIsNotStartedWhenTheRenewalFails() async throws {
        let clock = ManualTaskClock()
        // The claim's answer took 29.99 s of a 30 s lease (retries on a broken connection).
        let store = FlakyUpdateStore(base: InMemoryTaskStore(), clock: clock, claimDelay: 29.99)
        store.failingUpdates.store(true, ordering: .sequentiallyConsistent)
        let runs = Atomic<Int>(0)
        let registry = TaskRegistry()
        try registry.register("job") { _ in
            ClosureTaskRunner { _ in
                runs.add(1, ordering: .sequentiallyConsistent)
                return nil
            }
        }
        let service = TaskService(store: store, registry: registry, clock: clock)
        let pool = WorkerPool(service: service, configuration: Self.configuration())
        try await withRunningPool(pool) {
            _ = try await service.create("job", createdBy: .user("alice"))
            // The renewal before the start fails; a runner that started would have run by the
            // time a second update (its outcome, or the release) was tried.
            try await eventually("the renewal before the start failed") {
                store.failedUpdates.load(ordering: .sequentiallyConsistent) >= 1
            }
        }
        #expect(runs.load(ordering: .sequentiallyConsistent) == 0, "a runner started on a spent lease")
    }

    /// A worker that finishes after its task was rescued (its lease ran out in a partition and
    /// another worker claimed it) has its outcome refused by the version check and says so.
    @Test(arguments: [true, false])
    func anOutcomeWrittenAfterARescueIsRefusedAndReported(runnerSucceeds: Bool) async throws {
        let store = InMemoryTaskStore()
        let recorder = DiagnosticsTests.Recorder()
        let started = TestGate()
        let finish = TestGate()
        let registry = TaskRegistry()
        struct Broke: Error {}
        try registry.register("slow") { _ in
            ClosureTaskRunner { _ in
                started.open()
                try await finish.waitIgnoringCancellation()
                if !runnerSucceeds { throw Broke() }
                return "stale result"
            }
        }
        var serviceConfiguration = TaskService.Configuration()
        serviceConfiguration.diagnostics = recorder.sink
        let service = TaskService(store: store, registry: registry, configuration: serviceConfiguration)
        var configuration = Self.configuration()
        // No renewal during the test: one would see the rescue and stop the runner before it
        // returns, and a stopped attempt writes no outcome to refuse.
        configuration.leaseRenewalInterval = .seconds(20)
        let pool = WorkerPool(service: service, configuration: configuration)
        let task = try await withRunningPool(pool) {
            let task = try await service.create("slow", createdBy: .user("alice"))
            try await started.waitIgnoringCancellation()
            // Another host rescued it: the lease now belongs to someone else.
            let leased = try #require(try await store.task(id: task.id))
            var rescued = leased
            rescued.leaseOwner = "worker-on-another-host"
            rescued.version = leased.version + 1
            guard case .updated = try await store.update(rescued, expectedVersion: leased.version) else {
                Issue.record("the rescue was not stored")
                return task
            }
            finish.open()
            try await eventually("the refused outcome was reported") {
                recorder.all.contains { $0.message.contains("refused") }
            }
            return task
        }
        let stored = try #require(try await store.task(id: task.id))
        #expect(stored.status == .running)
        #expect(stored.leaseOwner == "worker-on-another-host")
        #expect(stored.result == nil)
        let report = try #require(recorder.all.first { $0.message.contains("refused") })
        #expect(report.level == .warning)
        #expect(report.metadata["task.id"] == task.id.description)
        #expect(report.metadata["worker.id"] == pool.workerID)
        #expect(report.metadata["lease.owner"] == "worker-on-another-host")
        #expect(report.message.contains(runnerSucceeds ? "(succeeded)" : "(failed)"))
    }
}
