/// A policy from a role table: each role grants permissions, and may see every creator's tasks.
/// A caller may do an operation when one of its ``Caller/roles`` grants the operation's
/// ``TaskOperation/permission`` or its own ``Caller/permissions`` hold it. ``Caller/system``
/// and ``Caller/admin(_:roles:permissions:)`` callers may do everything.
///
/// ```swift
/// let policy = RoleBasedTaskPolicy(roles: [
///     "admin": .init(permissions: RoleBasedTaskPolicy.everyTaskPermission, seesEveryTask: true),
///     "operator": .init(permissions: [.list, .view, .cancel, .retry, .download, "authorization:user:export"]),
///     "viewer": .init(permissions: [.list, .view]),
/// ])
/// var configuration = TaskService.Configuration()
/// configuration.authorization = policy
/// ```
public struct RoleBasedTaskPolicy: TaskAuthorizationPolicy {
    /// What one role grants.
    public struct Role: Sendable, Hashable {
        /// The permissions the role grants.
        public var permissions: Set<TaskPermission>
        /// Whether holders see every creator's tasks, not only their own.
        public var seesEveryTask: Bool

        /// Makes a role.
        public init(permissions: Set<TaskPermission>, seesEveryTask: Bool = false) {
            self.permissions = permissions
            self.seesEveryTask = seesEveryTask
        }
    }

    /// Every permission Taskworks itself defines (plugins' creation permissions come on top).
    public static let everyTaskPermission: Set<TaskPermission> = [
        .list, .view, .cancel, .retry, .delete, .pause, .download, .create, .pauseTaskTypes,
        .runSchedules, .viewSettings, .changeSettings,
    ]

    /// The role table, by role name.
    public var roles: [String: Role]

    /// Makes a policy from a role table.
    public init(roles: [String: Role]) {
        self.roles = roles
    }

    /// `true` for admins and the system, and for holders of a role that sees every task.
    public func seesEveryTask(_ caller: Caller) -> Bool {
        caller.kind != .user || caller.roles.contains { roles[$0]?.seesEveryTask == true }
    }

    /// `true` for admins and the system; otherwise whether the caller's roles or own permissions
    /// hold the operation's permission.
    public func allows(_ operation: TaskOperation, by caller: Caller, on task: TaskRecord?) -> Bool {
        guard caller.kind == .user else { return true }
        let needed = operation.permission
        if caller.permissions.contains(needed) { return true }
        return caller.roles.contains { roles[$0]?.permissions.contains(needed) == true }
    }
}
