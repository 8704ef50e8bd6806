/// Where a task is in its life.
///
/// `pending` → `running` → one of the terminal states `succeeded`, `failed`, `cancelled`.
/// A running task whose attempt fails goes back to `pending` while retries remain; a retry
/// requested by a caller moves a `failed` or `cancelled` task back to `pending`.
public enum TaskStatus: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    /// Waiting to be claimed by a worker (possibly not before its `runAfter` date).
    case pending
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
        case .pending, .running: false
        case .succeeded, .failed, .cancelled: true
        }
    }

    /// `true` for `pending` and `running`.
    public var isActive: Bool { !isTerminal }

    /// Orders statuses in their life-cycle order (`pending` first).
    public static func < (lhs: TaskStatus, rhs: TaskStatus) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .pending: 0
        case .running: 1
        case .succeeded: 2
        case .failed: 3
        case .cancelled: 4
        }
    }
}

extension TaskStatus: CustomStringConvertible, CustomDebugStringConvertible {
    /// The plain name, e.g. `pending`.
    public var description: String { rawValue }

    /// The plain name, so a status prints as `pending` inside collections and logs too.
    public var debugDescription: String { rawValue }
}
