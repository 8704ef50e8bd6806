/// Where a task is in its life.
///
/// `pending` → `running` → one of the terminal states `succeeded`, `failed`, `cancelled`.
/// A running task whose attempt fails goes back to `pending` while retries remain; a retry
/// requested by a caller moves a `failed` or `cancelled` task back to `pending`. A caller may
/// pause a pending task (`paused`: never claimed) and resume it (`pending` again).
///
/// **Frozen**: these six statuses are the whole life of a task, stored by every store and
/// answered by the HTTP API; no minor release adds one (a new status would be a new major
/// version), so an exhaustive `switch` over them is safe. New facts about a task (why it waits,
/// say) come as new fields, not new statuses.
public enum TaskStatus: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    /// Waiting to be claimed by a worker (possibly not before its `runAfter` date).
    case pending
    /// Held by a caller's pause: never claimed until resumed (it then is `pending` again). It
    /// still holds its unique key, and counts as active.
    case paused
    /// Claimed by a worker that holds its lease.
    case running
    /// The runner returned normally.
    case succeeded
    /// The runner failed with no attempts left, failed permanently, or timed out.
    case failed
    /// Cancelled by a caller before or while it ran.
    case cancelled

    /// `true` for `succeeded`, `failed` and `cancelled`: nothing happens to the task any more
    /// unless a caller retries it.
    public var isTerminal: Bool {
        switch self {
        case .pending, .paused, .running: false
        case .succeeded, .failed, .cancelled: true
        }
    }

    /// `true` for `pending`, `paused` and `running`.
    public var isActive: Bool { !isTerminal }

    /// Orders statuses in their life-cycle order (`pending` first).
    public static func < (lhs: TaskStatus, rhs: TaskStatus) -> Bool {
        lhs.ordinal < rhs.ordinal
    }

    /// The position in the life-cycle order, 0–5: the position in `allCases`.
    var ordinal: Int {
        switch self {
        case .pending: 0
        case .paused: 1
        case .running: 2
        case .succeeded: 3
        case .failed: 4
        case .cancelled: 5
        }
    }
}

extension TaskStatus: CustomStringConvertible, CustomDebugStringConvertible {
    /// The plain name, e.g. `pending`.
    public var description: String { rawValue }

    /// The plain name, so a status prints as `pending` inside collections and logs too.
    public var debugDescription: String { rawValue }
}
