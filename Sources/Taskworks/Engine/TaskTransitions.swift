import Foundation

/// Every state change of a task as a pure function from the current stored copy to the next
/// one: no store, no clock, no locks. ``TaskService`` and ``WorkerPool`` write the results with
/// compare-and-set and call these again with the fresh copy when another writer got there first,
/// so every decision is made on the latest state.
enum TaskTransitions {
    /// How one attempt ended, as seen by the worker that ran it.
    enum AttemptOutcome: Sendable, Equatable {
        /// The runner returned.
        case succeeded(result: JSONValue?, artifact: TaskArtifact?)
        /// The runner threw, timed out, or could not be made.
        case failed(message: String, permanent: Bool)
        /// The pool shut down and stopped the runner: back to pending, attempt not counted.
        case released
    }

    /// A caller's cancel. Pending or paused → cancelled; running → cancel requested (the runner is
    /// stopped and the worker stores `cancelled`); `nil` when a cancel is already requested.
    static func cancel(_ task: TaskRecord, now: Date) throws -> TaskRecord? {
        var next = task
        switch task.status {
        case .pending, .paused:
            next.status = .cancelled
            next.finishedAt = now
            next.cancelRequested = true
        case .running:
            guard !task.cancelRequested else { return nil }
            next.cancelRequested = true
        case .succeeded, .failed, .cancelled:
            throw TaskworksError.invalidTransition(
                task.id,
                "task \(task.id) already \(task.status.rawValue); only pending, paused or running tasks can "
                    + "be cancelled")
        }
        next.updatedAt = now
        return next
    }

    /// A caller's retry of a failed or cancelled task: pending again with a clean slate.
    static func retry(_ task: TaskRecord, now: Date) throws -> TaskRecord {
        guard task.status == .failed || task.status == .cancelled else {
            throw TaskworksError.invalidTransition(
                task.id,
                "task \(task.id) is \(task.status.rawValue); only failed or cancelled tasks can be "
                    + "retried")
        }
        var next = task
        next.status = .pending
        next.errorMessage = nil
        next.result = nil
        next.progress = 0
        next.artifact = nil
        next.attempts = 0
        next.manualRetries += 1
        next.cancelRequested = false
        next.runAfter = now
        next.startedAt = nil
        next.finishedAt = nil
        next.leaseOwner = nil
        next.leaseExpiresAt = nil
        next.updatedAt = now
        return next
    }

    /// A caller's soft delete: hidden from then on; an active task is cancelled first.
    static func delete(_ task: TaskRecord, now: Date) -> TaskRecord {
        var next = (try? cancel(task, now: now)).flatMap { $0 } ?? task
        next.deletedAt = now
        next.updatedAt = now
        return next
    }

    /// The worker that holds the lease stores the end of its attempt number `attempt`. `nil`
    /// when that attempt no longer holds the lease (another worker rescued the task, or the task
    /// moved on to a later attempt): a stale worker writes nothing.
    static func finish(
        _ task: TaskRecord, owner: String, attempt: Int, startedAt: Date?, outcome: AttemptOutcome,
        progress: Int, now: Date, retryDelay: Duration
    ) -> TaskRecord? {
        guard holdsLease(task, owner: owner, attempt: attempt, startedAt: startedAt) else { return nil }
        var next = task
        next.leaseOwner = nil
        next.leaseExpiresAt = nil
        next.updatedAt = now
        if task.cancelRequested {
            next.status = .cancelled
            next.finishedAt = now
            next.progress = max(task.progress, progress)
            if outcome == .released {
                // Cancelled before its runner started: the claim does not count as an attempt.
                next.attempts = max(0, task.attempts - 1)
                next.startedAt = nil
            }
            return next
        }
        switch outcome {
        case .succeeded(let result, let artifact):
            next.status = .succeeded
            next.result = result
            next.artifact = artifact
            next.progress = 100
            next.errorMessage = nil
            next.finishedAt = now
        case .failed(let message, let permanent):
            next.errorMessage = message
            if !permanent && task.attempts <= task.maxRetries {
                next.status = .pending
                next.progress = 0
                next.startedAt = nil
                next.runAfter = now.addingTimeInterval(retryDelay.timeInterval)
            } else {
                next.status = .failed
                next.progress = max(task.progress, progress)
                next.finishedAt = now
            }
        case .released:
            next.status = .pending
            next.attempts = max(0, task.attempts - 1)
            next.progress = 0
            next.startedAt = nil
            next.runAfter = now
        }
        return next
    }

    /// The lease holder's attempt number `attempt` extends its lease and stores new progress.
    /// `nil` when that attempt no longer holds the lease.
    static func renew(
        _ task: TaskRecord, owner: String, attempt: Int, startedAt: Date?, progress: Int?, now: Date,
        leaseDuration: Duration
    ) -> TaskRecord? {
        guard holdsLease(task, owner: owner, attempt: attempt, startedAt: startedAt) else { return nil }
        var next = task
        next.leaseExpiresAt = now.addingTimeInterval(leaseDuration.timeInterval)
        if let progress { next.progress = max(task.progress, progress) }
        next.updatedAt = now
        return next
    }

    /// Whether the claim `owner` made as attempt number `attempt` at `startedAt` holds the lease
    /// of `task`. The owner alone is not enough: a write left over from a pool's earlier attempt
    /// (a renewal still in flight when that attempt failed and the same pool claimed the retry)
    /// must not touch the next one. Nor is the attempt number: a caller's retry starts the count
    /// again, so a pool that stalled past its lease can claim the retried task as the same attempt
    /// number while its stale runner still runs (the simulator found this: seeds 54 and 37); the claim's
    /// start time, which only a claim sets, tells the two apart.
    static func holdsLease(_ task: TaskRecord, owner: String, attempt: Int, startedAt: Date?) -> Bool {
        task.status == .running && task.leaseOwner == owner && task.attempts == attempt
            && task.startedAt == startedAt
    }

    /// Rescues a task whose worker stopped renewing its lease: pending again while attempts
    /// remain, otherwise failed; cancelled if a cancel was requested. `nil` when the lease is
    /// not expired (any more).
    static func rescue(_ task: TaskRecord, now: Date) -> TaskRecord? {
        guard task.status == .running, let expiry = task.leaseExpiresAt, expiry < now else { return nil }
        var next = task
        let owner = task.leaseOwner ?? "unknown"
        next.leaseOwner = nil
        next.leaseExpiresAt = nil
        next.updatedAt = now
        if task.cancelRequested {
            next.status = .cancelled
            next.finishedAt = now
        } else if task.attempts <= task.maxRetries {
            next.status = .pending
            next.progress = 0
            next.startedAt = nil
            next.runAfter = now
            next.errorMessage =
                "worker \(owner) stopped renewing its lease (it crashed, hung or lost the store); "
                + "retrying"
        } else {
            next.status = .failed
            next.finishedAt = now
            next.errorMessage =
                "worker \(owner) stopped renewing its lease (it crashed, hung or lost the store) "
                + "and no attempts are left (\(task.attempts) of \(task.maxRetries + 1) used)"
        }
        return next
    }
}
