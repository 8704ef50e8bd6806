/// A permission name such as `task:cancel`: what a ``RoleBasedTaskPolicy`` grants to roles and
/// what each ``TaskOperation`` requires. Plugins declare their own, e.g.
/// `authorization:user:export` for creating user exports.
///
/// ```swift
/// let exportUsers = TaskPermission("authorization:user:export")
/// let caller = Caller.user("carol", permissions: [.list, .view, exportUsers])
/// ```
public struct TaskPermission: Sendable, Hashable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The name, e.g. `task:list`.
    public let name: String

    /// Makes a permission from its name.
    public init(_ name: String) { self.name = name }

    /// Makes a permission from a literal name.
    public init(stringLiteral name: String) { self.name = name }

    /// The name.
    public var description: String { name }

    /// Orders by name.
    public static func < (lhs: TaskPermission, rhs: TaskPermission) -> Bool { lhs.name < rhs.name }

    /// `task:list`: list tasks, their counts, recent tasks, events and paused types.
    public static let list: TaskPermission = "task:list"
    /// `task:view`: read one task.
    public static let view: TaskPermission = "task:view"
    /// `task:cancel`: cancel a task.
    public static let cancel: TaskPermission = "task:cancel"
    /// `task:retry`: retry a failed or cancelled task.
    public static let retry: TaskPermission = "task:retry"
    /// `task:delete`: soft-delete a task.
    public static let delete: TaskPermission = "task:delete"
    /// `task:pause`: pause and resume a task.
    public static let pause: TaskPermission = "task:pause"
    /// `task:download`: download a task's artifact, or get a signed link to it.
    public static let download: TaskPermission = "task:download"
    /// `task:create`: create tasks of a type that declares no permission of its own
    /// (``TaskRegistry/requirePermission(_:toCreate:)``).
    public static let create: TaskPermission = "task:create"
    /// `task-type:pause`: pause and resume a whole task type.
    public static let pauseTaskTypes: TaskPermission = "task-type:pause"
    /// `schedule:run`: run a schedule now.
    public static let runSchedules: TaskPermission = "schedule:run"
    /// `settings:view`: read the shared ``TaskSettings``.
    public static let viewSettings: TaskPermission = "settings:view"
    /// `settings:change`: change the shared ``TaskSettings``.
    public static let changeSettings: TaskPermission = "settings:change"
}
