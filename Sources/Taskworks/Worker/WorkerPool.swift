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
/// Two ways to stop, as ServiceLifecycle means them:
///
/// - **Graceful shutdown**: call ``shutdown(force:)``. The pool stops claiming, hands back the
///   tasks it claimed but never started, lets running tasks finish for up to
///   ``Configuration/shutdownGracePeriod``, then stops the rest and puts them back to `pending`
///   without counting the attempt. Within the same grace period it waits for the completion
///   callbacks still running in this process. `run()` returns once every runner has stopped and
///   every outcome is stored.
/// - **Cancellation** of the task running `run()` is the hard stop: runners are asked to stop at
///   once (their tasks go back to `pending`, the attempt not counted), and `run()` returns as soon
///   as they have stopped and those releases are stored, without waiting for callbacks.
///
/// ```swift
/// let pool = WorkerPool(service: service, configuration: .init(concurrency: 10))
/// let worker = Task { try await pool.run() }
/// // … later
/// pool.shutdown()            // graceful shutdown
/// try await worker.value
/// ```
public final class WorkerPool: Sendable {
    /// The service whose tasks this pool runs.
    public let service: TaskService
    /// The engine under ``service``: the pool is its client, not the service's.
    let engine: TaskEngine
    let configuration: Configuration
    let state: LockedState<WorkerPoolStateMachine>
    /// Wakes idle worker loops: a task was created or retried, a fetch brought extra work, the
    /// limit changed, shutdown began.
    let wakeUp = WakeUpCall()
    /// Wakes the supervisor: the limit changed or shutdown began.
    private let loopsChanged = WakeUpCall()
    /// Wakes the drain, its only waiter (so no wake-up is taken by an idle loop between the
    /// drain's look at the state and its wait): a runner stopped, or the shutdown was forced.
    let drainWakeUp = WakeUpCall()
    /// How long outcome writes take; slow stores get them off the worker loop.
    let writeLatency = WriteLatency()
    /// The store declared that no call waits (``ImmediateTaskStore``, as memory does): outcomes
    /// are always written inline, whatever a clock says (under a profiler every write looks slow).
    let writesNeverWait: Bool
    /// ``Configuration/effectiveRenewalInterval`` in seconds, worked out once.
    let renewalSeconds: TimeInterval
    /// How many times the pool found no work and went idle (tests use it to know the pool is
    /// waiting, so a task finishing proves it was woken rather than found by the claim before).
    let idleWaitCount = Atomic<Int>(0)
    /// `true` while a graceful shutdown waits for completion callbacks (tests read it).
    let awaitsCallbacks = Atomic<Bool>(false)

    /// Makes a pool; nothing runs until ``run()``.
    public init(service: TaskService, configuration: Configuration = Configuration()) {
        self.service = service
        self.engine = service.engine
        self.writesNeverWait = service.engine.writesNeverWait
        var configuration = configuration
        let diagnostics = service.engine.diagnostics
        let workerID = configuration.workerID
        if let handler = configuration.storeErrorHandler {
            // A host's own handler hears of a repeated store error once per poll interval.
            configuration.storeErrorHandler = StoreErrorThrottle(interval: configuration.pollInterval)
                .wrapping(handler)
        } else {
            // The diagnostics sink rate-limits repeats itself (and counts them in `repeated`).
            configuration.storeErrorHandler = { error in
                diagnostics.emit(
                    .error, "the store failed: \(error)",
                    metadata: ["component": "worker-pool", "worker.id": workerID])
            }
        }
        self.configuration = configuration
        self.renewalSeconds = configuration.effectiveRenewalInterval.timeInterval
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
        loopsChanged.notify()
        wakeUp.notify()
    }

    /// Begins a graceful shutdown: no more claims; running tasks get
    /// ``Configuration/shutdownGracePeriod`` to finish. With `force`, running tasks are stopped at
    /// once instead (they go back to pending, their attempt not counted), as cancelling ``run()``
    /// does; forcing also works after a graceful shutdown began.
    public func shutdown(force: Bool = false) {
        let deadline = engine.clock.monotonicNow.advanced(
            by: MonotonicInstant.nanoseconds(of: configuration.shutdownGracePeriod))
        state.withLock { $0.beginShutdown(force: force, deadline: deadline) }
        loopsChanged.notify()
        drainWakeUp.notify()
        wakeUp.notify()
    }

    /// Runs the pool until ``shutdown(force:)`` (graceful: see the type's documentation) or until
    /// the calling task is cancelled (the hard stop), and returns once every runner has stopped.
    /// The pool can run again after.
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
        let supervisor = AttemptSupervisor(engine: engine, configuration: configuration)
        engine.pools.add(
            self,
            wake: { [wakeUp, state] due in
                if let due { state.withLock { $0.dueDates.record(due) } }
                wakeUp.notify()
            },
            runningAttempt: { [supervisor] id in supervisor.context(for: id) },
            applySettings: { [weak self] settings in self?.applySharedSettings(settings) })
        defer {
            engine.pools.remove(self)
            state.withLock { $0.stopped() }
        }
        // The loops run in their own task, so that cancelling run() stops the runners through the
        // pool (each goes back to pending and its release is stored) instead of cancelling every
        // child task mid-write. run() awaits it, so it never outlives this call.
        await readSharedSettings()
        let loops = Task { await self.runLoops(supervisor) }
        await withTaskCancellationHandler {
            await loops.value
        } onCancel: {
            self.shutdown(force: true)
        }
        await awaitCallbacksAfterGracefulShutdown()
    }

    /// Starts and supervises the worker loops, the lease supervisor and the lease sweeper; returns
    /// after the drain, once every loop has ended.
    private func runLoops(_ supervisor: AttemptSupervisor) async {
        let sweeperStop = WakeUpCall()
        // Work made by other processes or hosts, when the store can tell (PostgreSQL's NOTIFY).
        let remoteWork = engine.workAvailableNotifications().map { notifications in
            Task { [wakeUp] in
                for await _ in notifications { wakeUp.notify() }
            }
        }
        defer { remoteWork?.cancel() }
        await withDiscardingTaskGroup { group in
            group.addTask { await supervisor.run() }
            group.addTask { await self.sweepExpiredLeases(until: sweeperStop) }
            while !state.withLock({ $0.isDraining }) {
                let count = state.withLock { $0.loopsToStart() }
                for _ in 0..<count {
                    group.addTask { await self.startWorkerLoop(supervisor) }
                }
                await loopsChanged.wait()
            }
            await drain(supervisor)
            supervisor.stop()
            sweeperStop.notify()
        }
    }

    /// One worker: take a buffered task or fetch a batch, run it, repeat. Outcome writes go to
    /// child tasks when the store is slow, so the loop starts its next task at once and many
    /// outcomes share one durable write; the loop ends only after they are stored.
    ///
    /// On a store whose writes never wait (memory), runners run inline in the loop's own task
    /// (see ``WorkerLoopHandle``), which is then unstructured so that a stop request can cancel
    /// it; this child task awaits it, so it never outlives ``run()``.
    private func startWorkerLoop(_ supervisor: AttemptSupervisor) async {
        guard writesNeverWait else {
            await workerLoop(supervisor, inline: nil)
            return
        }
        let handle = WorkerLoopHandle()
        let loop = Task { await self.workerLoop(supervisor, inline: handle) }
        handle.attach(loop)
        await loop.value
    }

    private func workerLoop(_ supervisor: AttemptSupervisor, inline: WorkerLoopHandle?) async {
        await withDiscardingTaskGroup { writes in
            await workerLoop(supervisor, inline: inline, writes: &writes)
        }
    }

    private nonisolated(nonsending) func workerLoop(
        _ supervisor: AttemptSupervisor, inline: WorkerLoopHandle?, writes: inout DiscardingTaskGroup
    ) async {
        var runsSinceYield = 0
        while true {
            // The due-date mark is read with the action: for a fetch, just before its claim begins.
            let (action, claimEpoch, dueMark) = state.withLock {
                ($0.nextAction(), $0.claimEpoch, $0.dueDates.mark)
            }
            switch action {
            case .exit:
                wakeUp.notify()  // a loop leaving may leave work for the others
                return
            case .wait:
                await wakeUp.wait(timeout: configuration.pollInterval, on: engine.clock)
            case .fetch(let count):
                let claimed: [TaskRecord]
                let epoch = engine.pools.cancelEpoch.load(ordering: .sequentiallyConsistent)
                let claimTime = engine.clock.now()
                do {
                    claimed = try await engine.claim(
                        TaskClaimRequest(
                            owner: configuration.workerID, now: claimTime,
                            leaseDuration: configuration.leaseDuration, types: configuration.taskTypes,
                            limit: count))
                } catch {
                    _ = state.withLock { $0.fetched([]) }
                    configuration.storeErrorHandler?(error)
                    await wakeUp.wait(timeout: configuration.pollInterval, on: engine.clock)
                    continue
                }
                let (task, wakeOthers) = state.withLock { $0.fetched(claimed, epoch: epoch) }
                if wakeOthers { wakeUp.notify() }
                guard let task else {
                    let leftovers = state.withLock { $0.takeBuffer() }  // fetched after shutdown began
                    for unstarted in leftovers { await release(unstarted) }
                    if claimed.isEmpty {
                        idleWaitCount.add(1, ordering: .relaxed)
                        await wakeUp.wait(
                            timeout: idleWait(afterClaimAt: claimTime, dueMark: dueMark), on: engine.clock)
                    }
                    continue
                }
                if await execute(
                    task, claimEpoch: epoch, supervisor: supervisor, inline: inline, writes: &writes)
                {
                    retire()
                    return
                }
                runsSinceYield += 1
            case .run(let task):
                if await execute(
                    task, claimEpoch: claimEpoch, supervisor: supervisor, inline: inline, writes: &writes)
                {
                    retire()
                    return
                }
                runsSinceYield += 1
            }
            if runsSinceYield >= 64 {
                // Runners that never suspend must not monopolise a cooperative thread.
                runsSinceYield = 0
                await Task.yield()
            }
        }
    }

    /// Ends a loop whose task a stop request may cancel; the supervisor of the loops starts
    /// another in its place unless the pool is shutting down.
    private func retire() {
        state.withLock { $0.loopRetired() }
        loopsChanged.notify()
        wakeUp.notify()  // a loop leaving may leave work for the others
    }

    /// How long an idle loop sleeps after a claim at `claimTime` (begun at `dueMark`) found
    /// nothing: the poll interval, or less when known work comes due sooner. Work that is due
    /// already but that the claim may not have seen (it was stored while the claim ran) gets an
    /// immediate new claim.
    private func idleWait(afterClaimAt claimTime: Date, dueMark: UInt64) -> Duration {
        let next = state.withLock { $0.dueDates.earliest(afterClaimAt: claimTime, mark: dueMark) }
        guard let next else { return configuration.pollInterval }
        // Compared before any conversion: a due date far away (or not finite) never reaches Int64.
        let untilDue = next.timeIntervalSince(engine.clock.now())
        guard untilDue < configuration.pollInterval.timeInterval else { return configuration.pollInterval }
        return .milliseconds(max(1, Int64(max(0, untilDue) * 1000) + 1))
    }

    static func checkConcurrency(_ value: Int) throws {
        guard (1...10_000).contains(value) else {
            throw TaskworksError.invalidInput("concurrency must be between 1 and 10000; got \(value)")
        }
    }
}
