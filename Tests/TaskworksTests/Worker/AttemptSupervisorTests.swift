import Foundation
import Synchronization
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// A lease renewal that answers late belongs to the attempt it was made for. When that attempt
/// failed meanwhile and the same pool claimed the task's retry, the late answer must neither
/// stop the retry's runner (which left the task `running` with nobody running it) nor write the
/// earlier attempt's progress onto it.
@Suite("Attempt supervisor")
struct AttemptSupervisorTests {
    /// Holds one update twice: before it reaches the base, and after the base answered it.
    final class HeldUpdateStore: ForwardingTaskStore {
        let base: any TaskStore
        /// Opened when the held update arrives.
        let arrived = TestGate()
        /// Opened by the test to let the held update reach the base.
        let proceed = TestGate()
        /// Opened when the base answered the held update.
        let answered = TestGate()
        /// Opened by the test to let that answer return.
        let returnAnswer = TestGate()
        /// Opened as that answer returns.
        let answerReturned = TestGate()
        private let holdsNextUpdate = Atomic<Bool>(false)

        init(base: any TaskStore) { self.base = base }

        func holdNextUpdate() { holdsNextUpdate.store(true, ordering: .sequentiallyConsistent) }

        func update(_ task: TaskRecord, expectedVersion: UInt64) async throws -> TaskUpdateResult {
            guard
                holdsNextUpdate.compareExchange(
                    expected: true, desired: false, ordering: .sequentiallyConsistent
                ).exchanged
            else { return try await base.update(task, expectedVersion: expectedVersion) }
            arrived.open()
            try await proceed.waitIgnoringCancellation()
            let answer = try await base.update(task, expectedVersion: expectedVersion)
            answered.open()
            try await returnAnswer.waitIgnoringCancellation()
            answerReturned.open()
            return answer
        }
    }

    /// When the pool claimed the retry: before the late renewal reached the store (the store
    /// answers with the retry's running copy), or after the store answered it (with the pending
    /// copy the failure left).
    enum RetryClaimed: String, CaseIterable, CustomTestStringConvertible {
        case beforeTheLateRenewalIsStored
        case afterTheLateRenewalWasAnswered
        var testDescription: String { rawValue }
    }

    @Test(arguments: RetryClaimed.allCases)
    func aLateRenewalOfAnEarlierAttemptLeavesTheRetryAlone(retryClaimed: RetryClaimed) async throws {
        let store = HeldUpdateStore(base: InMemoryTaskStore())
        let service = TaskService(store: store, registry: try Sample.registry())
        let configuration = Fixtures.poolConfiguration(concurrency: 1)
        let owner = configuration.workerID
        let supervisor = AttemptSupervisor(engine: service.engine, configuration: configuration)
        let supervising = Task { await supervisor.run() }
        defer { supervisor.stop() }

        let created = try await service.create(
            "noop", options: TaskOptions(maxRetries: 3), createdBy: .user("alice"))
        let claimRequest = {
            TaskClaimRequest(owner: owner, now: Date(), leaseDuration: configuration.leaseDuration)
        }
        let first = try #require(try await store.base.claim(claimRequest()).first)
        let firstContext = TaskContext(task: first, supervisorWakeUp: supervisor.wakeUp)
        firstContext.reportProgress(60)
        store.holdNextUpdate()
        let firstSlot = supervisor.register(firstContext)
        try await store.arrived.wait()  // attempt 1's renewal, carrying progress 60, is under way

        // Attempt 1 fails; its outcome is stored (retry at once) while the renewal waits.
        _ = supervisor.unregister(slot: firstSlot)
        let failed = try await service.engine.storeOutcome(
            of: first, owner: owner, outcome: .failed(message: "boom", permanent: false), progress: 60,
            retryDelay: .zero, context: nil)
        #expect(failed.status == .pending)

        if retryClaimed == .afterTheLateRenewalWasAnswered {
            store.proceed.open()
            try await store.answered.wait()
        }
        let retry = try #require(try await store.base.claim(claimRequest()).first)
        #expect(retry.attempts == 2)
        let secondContext = TaskContext(task: retry, supervisorWakeUp: supervisor.wakeUp)
        _ = supervisor.register(secondContext)
        store.proceed.open()
        store.returnAnswer.open()

        // The late answer is for attempt 1's context: once it has returned and the retry's own
        // renewal is stored, the supervisor has seen both.
        try await store.answerReturned.wait()
        let retryLease = try #require(retry.leaseExpiresAt)
        try await eventually("the retry's lease renewed") {
            let stored = try await store.base.task(id: created.id)
            return stored?.attempts == 2 && (stored?.leaseExpiresAt ?? retryLease) > retryLease
        }
        #expect(secondContext.control.stopReason == nil)
        let stored = try #require(try await store.base.task(id: created.id))
        #expect(stored.status == .running)
        #expect(stored.leaseOwner == owner)
        #expect(stored.progress == 0)  // attempt 1's 60 is not the retry's progress
        supervisor.stop()
        try await value(of: supervising)
    }

    @Test func aRenewalSlowerThanTheIntervalHoldsUpNothingAndDoesNotMakeTheSupervisorSpin() async throws {
        let store = HeldUpdateStore(base: InMemoryTaskStore())
        let service = TaskService(store: store, registry: try Sample.registry())
        var configuration = Fixtures.poolConfiguration(concurrency: 2)
        // Long enough that the held lease cannot come near running out on a starved machine (the
        // supervisor rightly stops a runner whose lease does while its renewal hangs).
        configuration.leaseDuration = .seconds(3_600)
        configuration.leaseRenewalInterval = .milliseconds(5)
        let owner = configuration.workerID
        let supervisor = AttemptSupervisor(engine: service.engine, configuration: configuration)
        let supervising = Task { await supervisor.run() }
        defer { supervisor.stop() }

        _ = try await service.create("noop", createdBy: .user("alice"))
        _ = try await service.create("noop", createdBy: .user("alice"))
        let claimed = try await store.base.claim(
            TaskClaimRequest(owner: owner, now: Date(), leaseDuration: configuration.leaseDuration, limit: 2))
        try #require(claimed.count == 2)
        store.holdNextUpdate()
        let held = TaskContext(task: claimed[0], supervisorWakeUp: supervisor.wakeUp)
        _ = supervisor.register(held)
        try await store.arrived.wait()  // the first attempt's renewal gets no answer
        let other = TaskContext(task: claimed[1], supervisorWakeUp: supervisor.wakeUp)
        _ = supervisor.register(other)
        // The other attempt's lease goes on being renewed meanwhile.
        let otherLease = try #require(claimed[1].leaseExpiresAt)
        let roundsBefore = supervisor.rounds.load(ordering: .relaxed)
        let started = ContinuousClock.now
        try await eventually("the other attempt's lease renewed three times") {
            let stored = try await store.base.task(id: claimed[1].id)
            return (stored?.version ?? 0) >= claimed[1].version + 3
                && (stored?.leaseExpiresAt ?? otherLease) > otherLease
        }
        let elapsed = ContinuousClock.now - started
        let rounds = supervisor.rounds.load(ordering: .relaxed) - roundsBefore
        // About one round per renewal interval (and one per renewal answered); a supervisor that
        // spun while the renewal hung would have made thousands.
        let intervals = Int(elapsed / configuration.effectiveRenewalInterval) + 1
        #expect(rounds <= 4 * intervals + 20, "\(rounds) rounds in \(intervals) renewal intervals")
        #expect(held.control.stopReason == nil && other.control.stopReason == nil)
        store.proceed.open()
        store.returnAnswer.open()
        supervisor.stop()
        try await value(of: supervising)
    }
}
