/// Who is asking: every read and write on ``TaskService`` names its caller. The service's
/// ``TaskAuthorizationPolicy`` decides from it what the caller may do, and per-creator
/// visibility decides which tasks it sees.
///
/// - ``admin(_:roles:permissions:)`` and ``system`` see and manage every task under the default
///   policy.
/// - ``user(_:roles:permissions:)`` sees and manages only the tasks it created; any other task is
///   reported as ``TaskworksError/Code/taskNotFound``, exactly as if it did not exist.
/// - ``roles`` and ``permissions`` are whatever the host's sign-in says the caller has; a
///   ``RoleBasedTaskPolicy`` turns them into decisions.
///
/// ```swift
/// let mine = try await service.list(TaskQuery(), as: .user("alice"))
/// let all = try await service.list(TaskQuery(), as: .admin("ops-bob"))
/// let viewer = Caller.user("carol", roles: ["viewer"])
/// ```
public struct Caller: Sendable, Hashable, CustomStringConvertible {
    /// What kind of caller this is.
    public enum Kind: String, Sendable, Hashable {
        /// An administrator.
        case admin
        /// An ordinary user.
        case user
        /// The host app itself (schedules, maintenance jobs).
        case system
    }

    /// What kind of caller this is.
    public let kind: Kind
    /// The id recorded as creator of what this caller creates: the user or admin id, or
    /// `"system"`.
    public let creatorID: String
    /// Role names the host assigned, e.g. `["operator"]`.
    public var roles: Set<String>
    /// Permissions the host granted directly, on top of those of the roles.
    public var permissions: Set<TaskPermission>

    private init(kind: Kind, creatorID: String, roles: Set<String>, permissions: Set<TaskPermission>) {
        self.kind = kind
        self.creatorID = creatorID
        self.roles = roles
        self.permissions = permissions
    }

    /// An administrator, identified by their user id (recorded as creator of what they create).
    public static func admin(
        _ id: String, roles: Set<String> = [], permissions: Set<TaskPermission> = []
    ) -> Caller {
        Caller(kind: .admin, creatorID: id, roles: roles, permissions: permissions)
    }

    /// An ordinary user, identified by the id the host app authenticated.
    public static func user(
        _ id: String, roles: Set<String> = [], permissions: Set<TaskPermission> = []
    ) -> Caller {
        Caller(kind: .user, creatorID: id, roles: roles, permissions: permissions)
    }

    /// The host app itself. Tasks it creates have creator `"system"`.
    public static let system = Caller(kind: .system, creatorID: systemCreatorID, roles: [], permissions: [])

    /// The creator id recorded on tasks the system creates.
    public static let systemCreatorID = "system"

    /// `true` for admins and the system: what the default policy
    /// (``DefaultTaskPolicy/seesEveryTask(_:)``) answers.
    public var seesEveryTask: Bool { kind != .user }

    /// A readable form such as `user(alice)` or `user(carol, roles: operator)`.
    public var description: String {
        guard kind != .system else { return "system" }
        let roleText = roles.isEmpty ? "" : ", roles: " + roles.sorted().joined(separator: " ")
        return "\(kind.rawValue)(\(creatorID)\(roleText))"
    }

    /// Checks that the id is usable: 1–200 bytes, no control characters, and not the reserved
    /// creator id `"system"` (so no user can see the system's tasks by taking its name).
    package func validated() throws -> Caller {
        guard kind != .system else { return self }
        let id = creatorID
        guard !id.isEmpty, id.utf8.count <= 200, !id.containsControlCharacters else {
            throw TaskworksError.invalidInput(
                "caller id '\(id.prefix(80))' is not usable: give 1–200 bytes without control characters")
        }
        guard id != Caller.systemCreatorID else {
            throw TaskworksError.invalidInput(
                "caller id 'system' is reserved for tasks the host creates; use Caller.system or another id")
        }
        return self
    }
}
