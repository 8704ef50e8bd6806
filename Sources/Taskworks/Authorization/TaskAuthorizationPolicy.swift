/// Decides what each caller may do: consulted by ``TaskService`` (and so by `TaskHTTPAPI` (TaskworksHTTP))
/// for every operation. Set it in ``TaskService/Configuration/authorization``.
///
/// Per-creator visibility sits on top: a caller sees another creator's task only when
/// ``seesEveryTask(_:)`` says so, whatever else the policy allows. The service asks in this
/// order: is the task visible (else ``TaskworksError/Code/taskNotFound``, HTTP 404), then is
/// the operation allowed (else ``TaskworksError/Code/permissionDenied``, HTTP 403).
///
/// ```swift
/// struct ReadOnlyWeekends: TaskAuthorizationPolicy {
///     func seesEveryTask(_ caller: Caller) -> Bool { caller.kind != .user }
///     func allows(_ operation: TaskOperation, by caller: Caller, on task: TaskRecord?) -> Bool {
///         operation == .list || operation == .view || !isWeekend()
///     }
/// }
/// ```
public protocol TaskAuthorizationPolicy: Sendable {
    /// Whether `caller` sees every creator's tasks (an admin), not only its own.
    func seesEveryTask(_ caller: Caller) -> Bool

    /// Whether `caller` may do `operation`; `task` is the task it concerns (visible to the
    /// caller), or `nil` for operations on no single task.
    func allows(_ operation: TaskOperation, by caller: Caller, on task: TaskRecord?) -> Bool
}

/// Today's rules, and the default: admins and the system see and do everything; a user sees
/// only its own tasks and may do everything to them, and create any type, but may not pause
/// task types, run schedules or change settings.
public struct DefaultTaskPolicy: TaskAuthorizationPolicy {
    /// Makes the default policy.
    public init() {}

    /// `true` for admins and the system.
    public func seesEveryTask(_ caller: Caller) -> Bool { caller.kind != .user }

    /// Everything for admins and the system; for users, everything but pausing task types,
    /// running schedules and changing settings.
    public func allows(_ operation: TaskOperation, by caller: Caller, on task: TaskRecord?) -> Bool {
        guard caller.kind == .user else { return true }
        switch operation {
        case .pauseTaskType, .runSchedule, .changeSettings: return false
        default: return true
        }
    }
}
