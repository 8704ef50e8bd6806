import Foundation

extension TaskEngine {
    /// Stores how an attempt of `task` by `owner` ended — the outcome, the progress it reached and,
    /// for a failure, the retry delay — with the event that goes with it, then removes artifact
    /// files the stored task does not keep. `task` is the attempt's copy of the task: its
    /// `attempts` names the attempt. Returns the task as stored (unchanged when that attempt of
    /// `owner` no longer holds the lease). The one path for the pool and the inline run alike.
    nonisolated(nonsending) func storeOutcome(
        of task: TaskRecord, owner: String, outcome: TaskTransitions.AttemptOutcome, progress: Int,
        retryDelay: Duration, context: TaskContext?
    ) async throws -> TaskRecord {
        try await storeOutcomeReportingWrite(
            of: task, owner: owner, outcome: outcome, progress: progress, retryDelay: retryDelay,
            context: context
        ).record
    }

    /// ``storeOutcome(of:owner:outcome:progress:retryDelay:context:)`` that also says whether the
    /// outcome was written (`false`: the attempt no longer held the lease).
    nonisolated(nonsending) func storeOutcomeReportingWrite(
        of task: TaskRecord, owner: String, outcome: TaskTransitions.AttemptOutcome, progress: Int,
        retryDelay: Duration, context: TaskContext?
    ) async throws -> (record: TaskRecord, wrote: Bool) {
        let (stored, wrote) = try await mutateReportingWrite(task.id, startingFrom: task) { current in
            guard
                let next = TaskTransitions.finish(
                    current, owner: owner, attempt: task.attempts, startedAt: task.startedAt,
                    outcome: outcome,
                    progress: progress, now: clock.now(), retryDelay: retryDelay)
            else { return nil }
            let event: TaskEvent.Kind =
                next.status.isTerminal ? .finished : (outcome == .released ? .requeued : .retryScheduled)
            return (next, event)
        }
        if !wrote { reportRefusedOutcome(outcome, of: stored, owner: owner) }
        if let context {
            let kept = stored.status == .succeeded ? stored.artifact : nil
            let unkept = context.control.artifactsToDiscard(keeping: kept)
            if !unkept.isEmpty { await discardArtifacts(unkept) }
        }
        return (stored, wrote)
    }

    /// Says that `owner`'s outcome was not stored because it no longer held the lease: another
    /// worker rescued the task after the lease ran out (a partition, a stalled process), or it
    /// was settled meanwhile. The version check refused the write; this makes it visible.
    private func reportRefusedOutcome(
        _ outcome: TaskTransitions.AttemptOutcome, of stored: TaskRecord, owner: String
    ) {
        let attempt: String
        switch outcome {
        case .succeeded: attempt = "succeeded"
        case .failed: attempt = "failed"
        case .released: attempt = "released"
        }
        diagnostics.emit(
            .warning,
            "an attempt's outcome (\(attempt)) was refused and not stored: this worker no longer holds "
                + "the task's lease, so another worker's newer state stands",
            metadata: [
                "component": "worker-pool", "task.id": stored.id.description, "task.type": stored.type,
                "worker.id": owner, "task.status": stored.status.rawValue,
                "lease.owner": stored.leaseOwner ?? "none",
            ])
    }
}
