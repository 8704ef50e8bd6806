/// One thing a caller asks the ``TaskService`` to do, as handed to its
/// ``TaskAuthorizationPolicy``. Operations on one task come with that task (already known to be
/// visible to the caller).
public enum TaskOperation: Sendable, Hashable, CustomStringConvertible {
    /// List tasks, counts, recent tasks, events, or the paused types.
    case list
    /// Read one task.
    case view
    /// Create a task of `taskType`; `permission` is what the registry says creating it needs
    /// (``TaskRegistry/creationPermission(for:)``).
    case create(taskType: String, permission: TaskPermission)
    /// Cancel a task.
    case cancel
    /// Retry a failed or cancelled task.
    case retry
    /// Soft-delete a task.
    case delete
    /// Pause or resume a task.
    case pause
    /// Download a task's artifact, or get a signed link to it.
    case download
    /// Pause or resume every task of `taskType`.
    case pauseTaskType(String)
    /// Run the schedule named `name` now.
    case runSchedule(String)
    /// Read the shared ``TaskSettings``.
    case viewSettings
    /// Change the shared ``TaskSettings``.
    case changeSettings
    /// A plugin's own operation (a route it contributes), needing `permission`.
    case plugin(TaskPermission)

    /// The permission a ``RoleBasedTaskPolicy`` requires for this operation.
    public var permission: TaskPermission {
        switch self {
        case .list: .list
        case .view: .view
        case .create(_, let permission): permission
        case .cancel: .cancel
        case .retry: .retry
        case .delete: .delete
        case .pause: .pause
        case .download: .download
        case .pauseTaskType: .pauseTaskTypes
        case .runSchedule: .runSchedules
        case .viewSettings: .viewSettings
        case .changeSettings: .changeSettings
        case .plugin(let permission): permission
        }
    }

    /// What the operation is, for error messages: `cancelling this task`, `creating user_export tasks`.
    public var description: String {
        switch self {
        case .list: "listing tasks"
        case .view: "viewing this task"
        case .create(let type, _): "creating \(type.prefix(100)) tasks"
        case .cancel: "cancelling this task"
        case .retry: "retrying this task"
        case .delete: "deleting this task"
        case .pause: "pausing or resuming this task"
        case .download: "downloading this task's artifact"
        case .pauseTaskType(let type): "pausing or resuming task type \(type.prefix(100))"
        case .runSchedule(let name): "running schedule \(name.prefix(100))"
        case .viewSettings: "reading the task settings"
        case .changeSettings: "changing the task settings"
        case .plugin(let permission): "an operation needing \(permission)"
        }
    }
}
