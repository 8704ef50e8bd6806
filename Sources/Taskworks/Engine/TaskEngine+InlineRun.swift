import Foundation

extension TaskEngine {
    /// Claims the next due pending task and runs one attempt of it here, on the caller's task,
    /// storing its outcome by the pool's rules (retries scheduled by `retryPolicy` with no
    /// jitter); returns the task as stored after the attempt, or `nil` when nothing is due.
    /// Progress is stored once, with the outcome. What the test kit's inline drain runs on.
    func runNextDueTaskInline(owner: String, retryPolicy: RetryPolicy) async throws -> TaskRecord? {
        let request = TaskClaimRequest(
            owner: owner, now: clock.now(), leaseDuration: .seconds(3600), limit: 1)
        guard let claimed = try await store.claim(request).first else { return nil }
        events.publish(.started, claimed)
        var outcome: TaskTransitions.AttemptOutcome
        var context: TaskContext?
        if let entry = registry.entry(for: claimed.type) {
            do {
                let runner = try entry.factory.makeRunner(for: claimed)
                let attempt = TaskContext(
                    task: claimed, artifactStore: artifacts, logHandler: runnerLogHandler)
                context = attempt
                outcome =
                    TaskAttempt.outcome(of: await attempt.control.run(runner, in: attempt), context: attempt)
                    ?? .released
            } catch {
                outcome = TaskAttempt.failureOutcome(for: error)
            }
        } else {
            outcome = .failed(message: "task type '\(claimed.type)' is not registered", permanent: true)
        }
        var delay = Duration.zero
        if case .failed = outcome { delay = retryPolicy.delay(afterAttempt: claimed.attempts, random: 0.5) }
        return try await storeOutcome(
            of: claimed, owner: owner, outcome: outcome, progress: context?.progress ?? 0, retryDelay: delay,
            context: context)
    }
}

extension TaskService {
    /// One inline attempt of the next due task (see the test kit's `drainInline`); package
    /// access, not public API.
    package func runNextDueTaskInline(owner: String, retryPolicy: RetryPolicy) async throws -> TaskRecord? {
        try await engine.runNextDueTaskInline(owner: owner, retryPolicy: retryPolicy)
    }
}
