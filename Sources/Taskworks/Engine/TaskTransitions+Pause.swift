import Foundation

extension TaskTransitions {
    /// A caller's pause: pending → paused, so no worker claims it; `nil` when already paused.
    static func pause(_ task: TaskRecord, now: Date) throws -> TaskRecord? {
        try move(
            task, from: .pending, to: .paused, now: now,
            refusal: "only a pending task can be paused (cancel a running one instead)")
    }

    /// A caller's resume: paused → pending (claimable again from its `runAfter`); `nil` when it
    /// is already pending.
    static func resume(_ task: TaskRecord, now: Date) throws -> TaskRecord? {
        try move(task, from: .paused, to: .pending, now: now, refusal: "only a paused task can be resumed")
    }

    /// `task` moved from status `from` to `to`; `nil` when it already is `to`; an
    /// `invalidTransition` saying `refusal` from any other status.
    private static func move(
        _ task: TaskRecord, from: TaskStatus, to: TaskStatus, now: Date, refusal: String
    ) throws -> TaskRecord? {
        if task.status == to { return nil }
        guard task.status == from else {
            throw TaskworksError.invalidTransition(
                task.id, "task \(task.id) is \(task.status.rawValue); \(refusal)")
        }
        var next = task
        next.status = to
        next.updatedAt = now
        return next
    }
}
