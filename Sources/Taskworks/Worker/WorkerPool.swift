import Foundation
import Synchronization

/// Claims pending tasks from the service's store and runs them, up to
/// ``Configuration/concurrency`` at a time.
///
/// `run()` polls the store every ``Configuration/pollInterval`` and is woken at once when the
/// ``TaskService`` it serves creates or retries a task, so a task created in the same process
/// starts without waiting out the poll. Each task runs under a lease that the pool renews; a
/// pool that dies leaves leases that expire, and any pool then rescues those tasks.
///
/// **Graceful shutdown**: cancel the task running `run()` (or call ``shutdown()``). The pool
/// stops claiming, lets running tasks finish for up to ``Configuration/shutdownGracePeriod``,
/// then stops the rest and puts them back to `pending` without counting the attempt. `run()`
/// returns only after every runner has stopped.
///
/// ```swift
/// let pool = WorkerPool(service: service, configuration: .init(concurrency: 10))
/// let worker = Task { try await pool.run() }
/// // … later
/// worker.cancel()            // graceful shutdown
/// try await worker.value
/// ```
public final class WorkerPool: Sendable {
    /// The service whose tasks this pool runs.
    public let service: TaskService
    let configuration: Configuration
    private let state: LockedState<WorkerPoolStateMachine>
    /// Wakes the claim loop: a task was created, a slot freed, the limit changed, shutdown began.
    private let signal = WakeSignal()
    /// The earliest retry this pool scheduled, so an idle pool wakes for it before the next poll.
    private let earliestRetry = LockedState<Date?>(nil)
    /// How many times the pool found no work and went idle (tests use it to know the pool is
    /// waiting, so a task finishing proves it was woken rather than found by the claim before).
    let idleWaitCount = Atomic<Int>(0)

    /// Makes a pool; nothing runs until ``run()``.
    public init(service: TaskService, configuration: Configuration = Configuration()) {
        self.service = service
        self.configuration = configuration
        self.state = LockedState(WorkerPoolStateMachine(limit: configuration.concurrency))
    }

    /// The lease owner this pool writes on the tasks it claims.
    public var workerID: String { configuration.workerID }

    /// How many tasks this pool is running now.
    public var runningCount: Int { state.withLock { $0.active } }

    /// `true` once a graceful shutdown has begun and until ``run()`` returns.
    public var isShuttingDown: Bool { state.withLock { $0.isDraining } }

    /// The current concurrency limit.
    public var concurrency: Int { state.withLock { $0.limit } }

    /// Changes how many tasks run at once, effective at once: a higher limit claims more right
    /// away; a lower one lets running tasks finish and claims again only below the new limit.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` unless `newValue` is 1–10,000.
    public func setConcurrency(_ newValue: Int) throws {
        try WorkerPool.checkConcurrency(newValue)
        state.withLock { $0.setLimit(newValue) }
        signal.notify()
    }

    /// Begins a graceful shutdown, as cancelling the task running ``run()`` does.
    public func shutdown() {
        if state.withLock({ $0.beginShutdown() }) { signal.notify() }
    }

    /// Runs the pool until the calling task is cancelled or ``shutdown()`` is called, then shuts
    /// down gracefully and returns once every runner has stopped. The pool can run again after.
    ///
    /// - Throws: ``TaskworksError/Code/alreadyRunning`` when another `run()` is active;
    ///   ``TaskworksError/Code/invalidInput`` for a bad configuration.
    public func run() async throws {
        try configuration.validate()
        guard state.withLock({ $0.start() }) else {
            throw TaskworksError(
                code: .alreadyRunning,
                message: "this WorkerPool is already running; call run() once, or make another pool")
        }
        service.addWakeSignal(signal)
        defer {
            service.removeWakeSignal(signal)
            state.withLock { $0.stopped() }
        }
        // The loop runs in its own task so that cancelling run() starts the graceful shutdown
        // instead of cancelling every runner at once (child tasks would inherit the
        // cancellation). run() awaits it, so it never outlives this call.
        let loop = Task { await self.claimLoop() }
        await withTaskCancellationHandler {
            await loop.value
        } onCancel: {
            self.shutdown()
        }
    }

    private func claimLoop() async {
        let keeper = LeaseKeeper(service: service, configuration: configuration)
        await withDiscardingTaskGroup { group in
            group.addTask { await keeper.run() }
            var nextSweep = ContinuousClock.now
            claiming: while true {
                switch state.withLock({ $0.nextStep() }) {
                case .drain:
                    break claiming
                case .waitForCapacity:
                    await signal.wait()
                case .claim(let capacity):
                    if ContinuousClock.now >= nextSweep {
                        nextSweep = ContinuousClock.now + configuration.pollInterval
                        do {
                            try await service.rescueExpiredLeases()
                        } catch {
                            configuration.storeErrorHandler(error)
                        }
                    }
                    let claimed: [TaskRecord]
                    do {
                        claimed = try await service.store.claim(
                            TaskClaimRequest(
                                owner: configuration.workerID, now: service.clock.now(),
                                leaseDuration: configuration.leaseDuration, types: configuration.taskTypes,
                                limit: capacity))
                    } catch {
                        configuration.storeErrorHandler(error)
                        await signal.wait(timeout: configuration.pollInterval)
                        continue
                    }
                    if claimed.isEmpty {
                        idleWaitCount.add(1, ordering: .relaxed)
                        await signal.wait(timeout: idleWait())
                        continue
                    }
                    state.withLock { $0.claimed(claimed.count) }
                    for task in claimed {
                        group.addTask {
                            await self.execute(task, keeper: keeper) {
                                self.state.withLock { $0.finished() }
                                self.signal.notify()
                            }
                        }
                    }
                }
            }
            await drain(keeper)
            keeper.stop()
        }
    }

    /// Waits for running tasks up to the grace period, then stops the rest.
    private func drain(_ keeper: LeaseKeeper) async {
        let deadline = ContinuousClock.now + configuration.shutdownGracePeriod
        while state.withLock({ $0.active }) > 0 {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero {
                for context in keeper.contexts { context.requestStop(.shutdown) }
                return
            }
            await signal.wait(timeout: remaining)
        }
    }

    /// How long an idle pool sleeps: the poll interval, or less when a retry it scheduled comes
    /// due sooner.
    private func idleWait() -> Duration {
        let poll = configuration.pollInterval
        guard let due = earliestRetry.withLock({ $0 }) else { return poll }
        let untilDue = due.timeIntervalSince(service.clock.now())
        if untilDue <= 0 {
            earliestRetry.withLock { if $0 == due { $0 = nil } }
            return .milliseconds(1)
        }
        return min(poll, .milliseconds(Int64(untilDue * 1000) + 1))
    }

    // MARK: - One task

    /// Runs one claimed task to its end. The slot is given back (`runnerStopped`) as soon as the
    /// runner has stopped, before the outcome is written, so the next claim can share the
    /// outcome's write (and, on a durable store, its `fsync`).
    private func execute(_ claimed: TaskRecord, keeper: LeaseKeeper, runnerStopped: () -> Void) async {
        service.events.publish(.started, claimed)
        let (outcome, latest, progress) = await attempt(claimed, keeper: keeper)
        runnerStopped()
        guard let outcome else { return }  // lease lost: another worker owns the task now
        await finish(latest, outcome: outcome, progress: progress)
    }

    /// Runs the runner (when there is one to run) and says how the attempt ended.
    private func attempt(
        _ claimed: TaskRecord, keeper: LeaseKeeper
    ) async -> (TaskTransitions.AttemptOutcome?, TaskRecord, progress: Int) {
        if state.withLock({ $0.isDraining }) {
            // Claimed while shutdown began: hand it straight back.
            return (.released, claimed, 0)
        }
        guard let entry = service.registry.entry(for: claimed.type) else {
            let known = service.registry.typeNames.joined(separator: ", ")
            let message =
                "task type '\(claimed.type)' is not registered in worker \(configuration.workerID) "
                + "(registered: \(known.isEmpty ? "none" : known)); register it before starting the "
                + "pool, or limit this pool with Configuration.taskTypes"
            return (.failed(message: message, permanent: true), claimed, 0)
        }
        let runner: any TaskRunner
        do {
            runner = try entry.factory.makeRunner(for: claimed)
        } catch {
            return (TaskAttempt.failureOutcome(for: error), claimed, 0)
        }
        let context = TaskContext(task: claimed, keeperSignal: keeper.signal)
        keeper.register(context)
        service.registerRunning(context)
        let result = await context.run(runner)
        service.unregisterRunning(claimed.id)
        let latest = keeper.unregister(claimed.id) ?? claimed
        return (TaskAttempt.outcome(of: result, context: context), latest, context.progress)
    }

    private func finish(
        _ task: TaskRecord, outcome: TaskTransitions.AttemptOutcome, progress: Int
    ) async {
        let owner = configuration.workerID
        var delay = Duration.zero
        if case .failed = outcome {
            delay = configuration.retryPolicy.delay(afterAttempt: task.attempts, random: Double.random(in: 0..<1))
        }
        do {
            let stored = try await service.mutate(task.id, startingFrom: task) { current in
                let now = service.clock.now()
                guard
                    let next = TaskTransitions.finish(
                        current, owner: owner, outcome: outcome, progress: progress, now: now,
                        retryDelay: delay)
                else { return nil }
                let event: TaskEvent.Kind =
                    next.status.isTerminal ? .finished : (outcome == .released ? .requeued : .retryScheduled)
                return (next, event)
            }
            if stored.status == .pending && stored.leaseOwner == nil {
                let due = stored.runAfter
                earliestRetry.withLock { current in
                    if current.map({ due < $0 }) ?? true { current = due }
                }
                if outcome == .released { service.wakeWorkers() }
            }
        } catch {
            // The lease will expire and another sweep will settle the task.
            configuration.storeErrorHandler(error)
        }
    }

    static func checkConcurrency(_ value: Int) throws {
        guard (1...10_000).contains(value) else {
            throw TaskworksError.invalidInput("concurrency must be between 1 and 10000; got \(value)")
        }
    }
}
