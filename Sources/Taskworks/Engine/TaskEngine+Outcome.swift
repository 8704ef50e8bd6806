import Foundation

extension TaskEngine {
    /// Stores how an attempt of `task` by `owner` ended — the outcome, the progress it reached and,
    /// for a failure, the retry delay — with the event that goes with it, then removes artifact
    /// files the stored task does not keep. Returns the task as stored (unchanged when `owner` no
    /// longer holds the lease). The one path for the pool and the inline run alike.
    nonisolated(nonsending) func storeOutcome(
        of task: TaskRecord, owner: String, outcome: TaskTransitions.AttemptOutcome, progress: Int,
        retryDelay: Duration, context: TaskContext?
    ) async throws -> TaskRecord {
        let (stored, _) = try await mutateReportingWrite(task.id, startingFrom: task) { current in
            guard
                let next = TaskTransitions.finish(
                    current, owner: owner, outcome: outcome, progress: progress, now: clock.now(),
                    retryDelay: retryDelay)
            else { return nil }
            let event: TaskEvent.Kind =
                next.status.isTerminal ? .finished : (outcome == .released ? .requeued : .retryScheduled)
            return (next, event)
        }
        if let context {
            let kept = stored.status == .succeeded ? stored.artifact : nil
            let unkept = context.artifactsToDiscard(keeping: kept)
            if !unkept.isEmpty { await discardArtifacts(unkept) }
        }
        return stored
    }
}
