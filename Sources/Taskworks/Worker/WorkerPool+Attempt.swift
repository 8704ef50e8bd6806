import Foundation

/// One claimed task, from its runner's start to its stored outcome.
extension WorkerPool {

    /// Runs one claimed task to its end. The slot is given back as soon as the runner has
    /// stopped, before the outcome is written, so a waiting loop can start its next task while
    /// the outcome is stored (on a durable store, in the same `fsync` as other writes).
    ///
    /// With `inline`, the runner runs in this loop's task (see ``WorkerLoopHandle``). Returns
    /// `true` when the loop must retire: a stop was requested while its runner ran inline, so its
    /// task may be cancelled (the outcome is then written from a task of its own, which no
    /// cancellation reaches).
    nonisolated(nonsending) func execute(
        _ claimed: TaskRecord, claimEpoch: Int, supervisor: AttemptSupervisor, inline: WorkerLoopHandle?,
        writes: inout DiscardingTaskGroup
    ) async -> Bool {
        engine.attemptStarted(claimed)
        let (outcome, latest, progress, context, retire) = await attempt(
            claimed, claimEpoch: claimEpoch, supervisor: supervisor, inline: inline)
        let wakeDrain = state.withLock { state -> Bool in
            state.runnerStopped()
            return state.isDraining
        }
        if wakeDrain { drainWakeUp.notify() }
        guard let outcome else {
            // Lease lost: another worker owns the task now; nothing this attempt wrote is kept.
            let unkept = context?.control.artifactsToDiscard(keeping: nil) ?? []
            if retire {
                await Task { await self.engine.discardArtifacts(unkept) }.value
            } else {
                await engine.discardArtifacts(unkept)
            }
            return retire
        }
        if retire {
            await Task { await self.finish(latest, outcome: outcome, progress: progress, context: context) }
                .value
        } else if !writesNeverWait && writeLatency.isSlow {
            writes.addTask {
                await self.finish(latest, outcome: outcome, progress: progress, context: context)
            }
        } else {
            await finish(latest, outcome: outcome, progress: progress, context: context)
        }
        return retire
    }

    /// Puts a task this pool claimed but never started back to pending.
    nonisolated(nonsending) func release(_ task: TaskRecord) async {
        await finish(task, outcome: .released, progress: 0, context: nil)
    }

    /// Runs the runner (when there is one to run) and says how the attempt ended, and whether
    /// the loop must retire (see ``execute(_:claimEpoch:supervisor:inline:writes:)``).
    private nonisolated(nonsending) func attempt(
        _ claimed: TaskRecord, claimEpoch: Int, supervisor: AttemptSupervisor, inline: WorkerLoopHandle?
    ) async -> (
        TaskTransitions.AttemptOutcome?, TaskRecord, progress: Int, context: TaskContext?, retire: Bool
    ) {
        if state.withLock({ $0.isDraining }) {
            return (.released, claimed, 0, nil, false)
        }
        guard let entry = engine.registry.entry(for: claimed.type) else {
            let known = engine.registry.typeNames.joined(separator: ", ")
            let message =
                "task type '\(claimed.type)' is not registered in worker \(configuration.workerID) "
                + "(registered: \(known.isEmpty ? "none" : known)); register it before starting the "
                + "pool, or limit this pool with Configuration.taskTypes"
            return (.failed(message: message, permanent: true), claimed, 0, nil, false)
        }
        var runner: any TaskRunner
        do {
            runner = try entry.factory.makeRunner(for: claimed)
        } catch {
            return (TaskAttempt.failureOutcome(for: error), claimed, 0, nil, false)
        }
        if !configuration.middleware.isEmpty {
            runner = MiddlewareWrappedRunner(middleware: configuration.middleware, runner: runner)
        }
        let context = TaskContext(
            task: claimed, supervisorWakeUp: supervisor.wakeUp, artifactStore: engine.artifacts,
            logHandler: engine.runnerLogHandler)
        let slot = supervisor.register(context)
        // The drain stops the runners registered when it stops them; one registered after that
        // (it passed the draining check above just before the shutdown began) stops here.
        if state.withLock({ $0.runnersMustStop }) { context.control.requestStop(.shutdown) }
        if mustReadBeforeStart(claimed, claimEpoch: claimEpoch) {
            await renewBeforeStart(claimed, context: context, supervisor: supervisor)
        }
        guard context.control.stopReason == nil else {
            // Cancelled (or taken over) between the claim and now: the runner never starts and the
            // attempt is not counted.
            let latest = supervisor.unregister(slot: slot) ?? claimed
            return (context.control.stopReason == .leaseLost ? nil : .released, latest, 0, context, false)
        }
        let result: Result<(any Encodable & Sendable)?, any Error>
        var retire = false
        if let inline {
            (result, retire) = await context.control.runInline(runner, in: context, cancelling: inline)
        } else {
            result = await context.control.run(runner, in: context)
        }
        let latest = supervisor.unregister(slot: slot) ?? claimed
        return (TaskAttempt.outcome(of: result, context: context), latest, context.progress, context, retire)
    }

    /// Whether a just-claimed task must be read back (its lease renewed) before its runner
    /// starts. A cancel made in this process reaches a registered context at once; one that raced
    /// the claim (it saw the task `running` before the context was registered) has moved the
    /// service's cancel counter past `claimEpoch`. A task whose claim is older than the renewal
    /// interval (a starved process took that long to start it) may have lost its lease to a pool
    /// that rescued it. Either way ``renewBeforeStart(_:context:supervisor:)`` reads the store;
    /// on the common path nothing is awaited at all.
    private func mustReadBeforeStart(_ claimed: TaskRecord, claimEpoch: Int) -> Bool {
        if engine.pools.cancelEpoch.load(ordering: .sequentiallyConsistent) != claimEpoch { return true }
        guard let startedAt = claimed.startedAt else { return false }
        return engine.clock.now().timeIntervalSince(startedAt) >= renewalSeconds
    }

    /// Renews the lease of a just-claimed task, which reads the stored task, and asks the context
    /// to stop when the lease was lost or a cancel was requested.
    private func renewBeforeStart(
        _ claimed: TaskRecord, context: TaskContext, supervisor: AttemptSupervisor
    ) async {
        let owner = configuration.workerID
        let now = engine.clock.now()
        do {
            let stored = try await engine.mutate(claimed.id, startingFrom: claimed) { current in
                TaskTransitions.renew(
                    current, owner: owner, attempt: claimed.attempts, startedAt: claimed.startedAt,
                    progress: nil, now: now, leaseDuration: configuration.leaseDuration
                ).map { ($0, nil) }
            }
            supervisor.noteStored(stored)
            if !TaskTransitions.holdsLease(
                stored, owner: owner, attempt: claimed.attempts, startedAt: claimed.startedAt)
            {
                context.control.requestStop(.leaseLost)
            } else if stored.cancelRequested {
                context.control.requestStop(.cancelRequested)
            }
        } catch {
            configuration.storeErrorHandler?(error)
            // Start it while the claimed lease lasts (the supervisor renews it); one that is about
            // to run out may be rescued by another pool as the runner starts, so leave it be.
            if configuration.leaseRunsOutBeforeNextRenewal(of: claimed, at: now) {
                context.control.requestStop(.leaseLost)
            }
        }
    }

    /// Stores how the attempt ended, then removes artifact files the stored task does not keep.
    private nonisolated(nonsending) func finish(
        _ task: TaskRecord, outcome: TaskTransitions.AttemptOutcome, progress: Int, context: TaskContext?
    ) async {
        let owner = configuration.workerID
        var delay = Duration.zero
        if case .failed = outcome {
            delay = configuration.retryPolicy.delay(
                afterAttempt: task.attempts, random: Double.random(in: 0..<1))
        }
        let started = writesNeverWait ? nil : ContinuousClock.now
        defer { if let started { writeLatency.record(ContinuousClock.now - started) } }
        do {
            let stored = try await engine.storeOutcome(
                of: task, owner: owner, outcome: outcome, progress: progress, retryDelay: delay,
                context: context)
            if stored.status == .pending && stored.leaseOwner == nil {
                if outcome == .released {
                    engine.pools.wake()
                } else {
                    state.withLock { $0.dueDates.record(stored.runAfter) }
                    wakeUp.notify()  // an idle loop recomputes how long to sleep
                }
            }
        } catch {
            // The lease will expire and a sweep will settle the task.
            configuration.storeErrorHandler?(error)
        }
    }
}
