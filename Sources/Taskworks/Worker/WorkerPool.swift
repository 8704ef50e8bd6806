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
    /// Wakes idle worker loops: a task was created or retried, a fetch brought extra work, the
    /// limit changed, shutdown began.
    private let signal = WakeSignal()
    /// Wakes the supervisor: the limit changed or shutdown began.
    private let supervisorSignal = WakeSignal()
    /// How long outcome writes take; slow stores get them off the worker loop.
    private let writeLatency = WriteLatency()
    /// A forced shutdown was asked for: stop running tasks without waiting out the grace period.
    private let forceStop = LockedState(false)
    /// Claimed tasks that never started when shutdown began; the drain hands them back.
    private let unstartedAtShutdown = LockedState<[TaskRecord]>([])
    /// When the retries this pool scheduled and the delayed tasks created in this process come
    /// due, so an idle pool wakes for them before the next poll.
    private let retryDueDates = LockedState<[Date]>([])
    /// How many times the pool found no work and went idle (tests use it to know the pool is
    /// waiting, so a task finishing proves it was woken rather than found by the claim before).
    let idleWaitCount = Atomic<Int>(0)

    /// Makes a pool; nothing runs until ``run()``.
    public init(service: TaskService, configuration: Configuration = Configuration()) {
        self.service = service
        var configuration = configuration
        configuration.storeErrorHandler = StoreErrorThrottle(interval: configuration.pollInterval)
            .wrapping(configuration.storeErrorHandler)
        self.configuration = configuration
        self.state = LockedState(WorkerPoolStateMachine(limit: configuration.concurrency))
    }

    /// The lease owner this pool writes on the tasks it claims.
    public var workerID: String { configuration.workerID }

    /// How many tasks this pool is running now.
    public var runningCount: Int { state.withLock { $0.running } }

    /// `true` once a graceful shutdown has begun and until ``run()`` returns.
    public var isShuttingDown: Bool { state.withLock { $0.isDraining } }

    /// The current concurrency limit.
    public var concurrency: Int { state.withLock { $0.limit } }

    /// Changes how many tasks run at once, effective at once: a higher limit starts more worker
    /// loops right away; a lower one lets running tasks finish and stops the extra loops.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` unless `newValue` is 1–10,000.
    public func setConcurrency(_ newValue: Int) throws {
        try WorkerPool.checkConcurrency(newValue)
        state.withLock { $0.setLimit(newValue) }
        supervisorSignal.notify()
        signal.notify()
    }

    /// Begins a graceful shutdown, as cancelling the task running ``run()`` does. With `force`,
    /// running tasks are stopped at once instead of after the grace period (they go back to
    /// pending, their attempt not counted); forcing also works after a graceful shutdown began.
    public func shutdown(force: Bool = false) {
        if force { forceStop.withLock { $0 = true } }
        if let unstarted = state.withLock({ $0.beginShutdown() }) {
            unstartedAtShutdown.withLock { $0 += unstarted }
        }
        supervisorSignal.notify()
        signal.notify()
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
        service.addWakeTarget(self) { [signal, retryDueDates] due in
            if let due { retryDueDates.withLock { $0.append(due) } }
            signal.notify()
        }
        defer {
            service.removeWakeTarget(self)
            state.withLock { $0.stopped() }
            forceStop.withLock { $0 = false }
        }
        // The loops run in their own task so that cancelling run() starts the graceful shutdown
        // instead of cancelling every runner at once (child tasks would inherit the
        // cancellation). run() awaits it, so it never outlives this call.
        let loops = Task { await self.runLoops() }
        await withTaskCancellationHandler {
            await loops.value
        } onCancel: {
            self.shutdown()
        }
    }

    /// Starts and supervises the worker loops, the lease keeper and the lease sweeper; returns
    /// after the drain, once every loop has ended.
    private func runLoops() async {
        let keeper = LeaseKeeper(service: service, configuration: configuration)
        service.addRunningTaskLookup(keeper) { [keeper] id in keeper.context(for: id) }
        defer { service.removeRunningTaskLookup(keeper) }
        let sweeperStop = WakeSignal()
        // Work made by other processes or hosts, when the store can tell (PostgreSQL's NOTIFY).
        let remoteWork = service.store.workAvailableSignals().map { signals in
            Task { [signal] in
                for await _ in signals { signal.notify() }
            }
        }
        defer { remoteWork?.cancel() }
        await withDiscardingTaskGroup { group in
            group.addTask { await keeper.run() }
            group.addTask { await self.sweepExpiredLeases(until: sweeperStop) }
            while !state.withLock({ $0.isDraining }) {
                let count = state.withLock { $0.loopsToStart() }
                for _ in 0..<count {
                    group.addTask { await self.workerLoop(keeper) }
                }
                await supervisorSignal.wait()
            }
            await drain(keeper)
            keeper.stop()
            sweeperStop.notify()
        }
    }

    /// One worker: take a buffered task or fetch a batch, run it, repeat. Outcome writes go to
    /// child tasks when the store is slow, so the loop starts its next task at once and many
    /// outcomes share one durable write; the loop ends only after they are stored.
    private func workerLoop(_ keeper: LeaseKeeper) async {
        await withDiscardingTaskGroup { writes in
            await workerLoop(keeper, writes: &writes)
        }
    }

    private func workerLoop(_ keeper: LeaseKeeper, writes: inout DiscardingTaskGroup) async {
        var runsSinceYield = 0
        while true {
            let (action, claimEpoch) = state.withLock { ($0.nextAction(), $0.claimEpoch) }
            switch action {
            case .exit:
                signal.notify()  // a loop leaving may leave work for the others
                return
            case .wait:
                await signal.wait(timeout: configuration.pollInterval)
            case .fetch(let count):
                let claimed: [TaskRecord]
                let epoch = service.cancelEpoch.load(ordering: .sequentiallyConsistent)
                let claimTime = service.clock.now()
                do {
                    claimed = try await service.store.claim(
                        TaskClaimRequest(
                            owner: configuration.workerID, now: claimTime,
                            leaseDuration: configuration.leaseDuration, types: configuration.taskTypes,
                            limit: count))
                } catch {
                    _ = state.withLock { $0.fetched([]) }
                    configuration.storeErrorHandler(error)
                    await signal.wait(timeout: configuration.pollInterval)
                    continue
                }
                let (task, wakeOthers) = state.withLock { $0.fetched(claimed, epoch: epoch) }
                if wakeOthers { signal.notify() }
                guard let task else {
                    let leftovers = state.withLock { $0.takeBuffer() }  // fetched after shutdown began
                    for unstarted in leftovers { await release(unstarted) }
                    if claimed.isEmpty {
                        idleWaitCount.add(1, ordering: .relaxed)
                        await signal.wait(timeout: idleWait(afterClaimAt: claimTime))
                    }
                    continue
                }
                await execute(task, claimEpoch: epoch, keeper: keeper, writes: &writes)
                runsSinceYield += 1
            case .run(let task):
                await execute(task, claimEpoch: claimEpoch, keeper: keeper, writes: &writes)
                runsSinceYield += 1
            }
            if runsSinceYield >= 64 {
                // Runners that never suspend must not monopolise a cooperative thread.
                runsSinceYield = 0
                await Task.yield()
            }
        }
    }

    /// Rescues expired leases every poll interval, and runs retention when configured, until
    /// `stop` is notified.
    private func sweepExpiredLeases(until stop: WakeSignal) async {
        var nextRetention = ContinuousClock.now
        while !state.withLock({ $0.isDraining }) {
            do {
                try await service.rescueExpiredLeases()
                if let retention = configuration.retention, ContinuousClock.now >= nextRetention {
                    nextRetention = ContinuousClock.now + retention.interval
                    try await service.pruneTasks(retention)
                }
            } catch {
                configuration.storeErrorHandler(error)
            }
            await stop.wait(timeout: configuration.pollInterval)
        }
    }

    /// Hands back tasks claimed but never started, waits for running tasks up to the grace
    /// period, then stops the rest.
    private func drain(_ keeper: LeaseKeeper) async {
        for task in unstartedAtShutdown.withLock({ tasks in
            defer { tasks.removeAll() }
            return tasks
        }) {
            await release(task)
        }
        let deadline = ContinuousClock.now + configuration.shutdownGracePeriod
        while state.withLock({ $0.running }) > 0 {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero || forceStop.withLock({ $0 }) {
                for context in keeper.contexts { context.requestStop(.shutdown) }
                return
            }
            await signal.wait(timeout: remaining)
        }
    }

    /// How long an idle loop sleeps after a claim at `claimTime` found nothing: the poll
    /// interval, or less when a retry this pool scheduled comes due sooner. A retry that came due
    /// after the claim (while it ran) gets an immediate new claim.
    private func idleWait(afterClaimAt claimTime: Date) -> Duration {
        let next = retryDueDates.withLock { dates -> Date? in
            dates.removeAll { $0 <= claimTime }
            return dates.min()
        }
        guard let next else { return configuration.pollInterval }
        // Compared before any conversion: a due date far away (or not finite) never reaches Int64.
        let untilDue = next.timeIntervalSince(service.clock.now())
        guard untilDue < configuration.pollInterval.timeInterval else { return configuration.pollInterval }
        return .milliseconds(max(1, Int64(max(0, untilDue) * 1000) + 1))
    }

    // MARK: - One task

    /// Runs one claimed task to its end. The slot is given back as soon as the runner has
    /// stopped, before the outcome is written, so a waiting loop can start its next task while
    /// the outcome is stored (on a durable store, in the same `fsync` as other writes).
    private func execute(
        _ claimed: TaskRecord, claimEpoch: Int, keeper: LeaseKeeper, writes: inout DiscardingTaskGroup
    ) async {
        service.events.publish(.started, claimed)
        let (outcome, latest, progress, context) = await attempt(
            claimed, claimEpoch: claimEpoch, keeper: keeper)
        let wakeDrain = state.withLock { state -> Bool in
            state.runnerStopped()
            return state.isDraining
        }
        if wakeDrain { signal.notify() }
        guard let outcome else {
            // Lease lost: another worker owns the task now; nothing this attempt wrote is kept.
            await service.discardArtifacts(context?.artifactsToDiscard(keeping: nil) ?? [])
            return
        }
        if writeLatency.isSlow {
            writes.addTask {
                await self.finish(latest, outcome: outcome, progress: progress, context: context)
            }
        } else {
            await finish(latest, outcome: outcome, progress: progress, context: context)
        }
    }

    /// Puts a task this pool claimed but never started back to pending.
    private func release(_ task: TaskRecord) async {
        await finish(task, outcome: .released, progress: 0, context: nil)
    }

    /// Runs the runner (when there is one to run) and says how the attempt ended.
    private func attempt(
        _ claimed: TaskRecord, claimEpoch: Int, keeper: LeaseKeeper
    ) async -> (TaskTransitions.AttemptOutcome?, TaskRecord, progress: Int, context: TaskContext?) {
        if state.withLock({ $0.isDraining }) {
            return (.released, claimed, 0, nil)
        }
        guard let entry = service.registry.entry(for: claimed.type) else {
            let known = service.registry.typeNames.joined(separator: ", ")
            let message =
                "task type '\(claimed.type)' is not registered in worker \(configuration.workerID) "
                + "(registered: \(known.isEmpty ? "none" : known)); register it before starting the "
                + "pool, or limit this pool with Configuration.taskTypes"
            return (.failed(message: message, permanent: true), claimed, 0, nil)
        }
        let runner: any TaskRunner
        do {
            runner = try entry.factory.makeRunner(for: claimed)
        } catch {
            return (TaskAttempt.failureOutcome(for: error), claimed, 0, nil)
        }
        let context = TaskContext(
            task: claimed, keeperSignal: keeper.signal, artifactStore: service.artifacts)
        keeper.register(context)
        guard await mayStart(claimed, context: context, claimEpoch: claimEpoch) else {
            // Cancelled (or taken over) between the claim and now: the runner never starts and the
            // attempt is not counted.
            let latest = keeper.unregister(claimed.id) ?? claimed
            return (context.stopReason == .leaseLost ? nil : .released, latest, 0, context)
        }
        let result = await context.run(runner)
        let latest = keeper.unregister(claimed.id) ?? claimed
        return (TaskAttempt.outcome(of: result, context: context), latest, context.progress, context)
    }

    /// Whether the runner of a just-claimed task may start. A cancel made in this process reaches
    /// a registered context at once; one that raced the claim (it saw the task `running` before
    /// the context was registered) has moved the service's cancel counter past `claimEpoch`, and
    /// then the stored task is read again. Returns `false` after asking the context to stop.
    /// A task whose claim is older than the renewal interval (a starved process took that long
    /// to start it) gets its lease renewed first: its lease may have run out and another pool
    /// rescued it, and then it must not start here.
    private func mayStart(_ claimed: TaskRecord, context: TaskContext, claimEpoch: Int) async -> Bool {
        let now = service.clock.now()
        let claimedLongAgo = claimed.startedAt.map {
            now.timeIntervalSince($0) >= configuration.effectiveRenewalInterval.timeInterval
        }
        if claimedLongAgo == true || service.cancelEpoch.load(ordering: .sequentiallyConsistent) != claimEpoch
        {
            let owner = configuration.workerID
            do {
                let stored: TaskRecord? = try await service.mutate(claimed.id, startingFrom: claimed) {
                    current in
                    TaskTransitions.renew(
                        current, owner: owner, progress: nil, now: now,
                        leaseDuration: configuration.leaseDuration
                    ).map { ($0, nil) }
                }
                if stored?.status != .running || stored?.leaseOwner != configuration.workerID {
                    context.requestStop(.leaseLost)
                } else if stored?.cancelRequested == true {
                    context.requestStop(.cancelRequested)
                }
            } catch {
                configuration.storeErrorHandler(error)  // start it: the lease keeper checks again
            }
        }
        return context.stopReason == nil
    }

    /// Stores how the attempt ended, then removes artifact files the stored task does not keep.
    private func finish(
        _ task: TaskRecord, outcome: TaskTransitions.AttemptOutcome, progress: Int, context: TaskContext?
    ) async {
        let owner = configuration.workerID
        var delay = Duration.zero
        if case .failed = outcome {
            delay = configuration.retryPolicy.delay(
                afterAttempt: task.attempts, random: Double.random(in: 0..<1))
        }
        let started = ContinuousClock.now
        defer { writeLatency.record(ContinuousClock.now - started) }
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
            if let context {
                let kept = stored.status == .succeeded ? stored.artifact : nil
                await service.discardArtifacts(context.artifactsToDiscard(keeping: kept))
            }
            if stored.status == .pending && stored.leaseOwner == nil {
                if outcome == .released {
                    service.wakeWorkers()
                } else {
                    retryDueDates.withLock { $0.append(stored.runAfter) }
                    signal.notify()  // an idle loop recomputes how long to sleep
                }
            }
        } catch {
            // The lease will expire and a sweep will settle the task.
            configuration.storeErrorHandler(error)
        }
    }

    static func checkConcurrency(_ value: Int) throws {
        guard (1...10_000).contains(value) else {
            throw TaskworksError.invalidInput("concurrency must be between 1 and 10000; got \(value)")
        }
    }
}
