import Foundation

extension TaskTransitions {
    /// A caller's pause: pending → paused, so no worker claims it; `nil` when already paused.
    static func pause(_ task: TaskRecord, now: Date) throws -> TaskRecord? {
        switch task.status {
        case .paused:
            return nil
        case .pending:
            var next = task
            next.status = .paused
            next.updatedAt = now
            return next
        default:
            throw TaskworksError.invalidTransition(
                task.id,
                "task \(task.id) is \(task.status.rawValue); only a pending task can be paused "
                    + "(cancel a running one instead)")
        }
    }

    /// A caller's resume: paused → pending (claimable again from its `runAfter`); `nil` when it
    /// is already pending.
    static func resume(_ task: TaskRecord, now: Date) throws -> TaskRecord? {
        switch task.status {
        case .pending:
            return nil
        case .paused:
            var next = task
            next.status = .pending
            next.updatedAt = now
            return next
        default:
            throw TaskworksError.invalidTransition(
                task.id, "task \(task.id) is \(task.status.rawValue); only a paused task can be resumed")
        }
    }
}
