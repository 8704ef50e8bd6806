/// Who is asking: every read and write on ``TaskService`` names its caller, and the service
/// enforces per-creator visibility with it.
///
/// - `admin` and `system` see and manage every task.
/// - `user` sees and manages only the tasks it created; any other task is reported as
///   ``TaskworksError/Code/taskNotFound``, exactly as if it did not exist.
///
/// ```swift
/// let mine = try await service.list(TaskQuery(), as: .user("alice"))
/// let all = try await service.list(TaskQuery(), as: .admin("ops-bob"))
/// ```
public enum Caller: Sendable, Hashable, CustomStringConvertible {
    /// An administrator, identified by their user id (recorded as creator of what they create).
    case admin(String)
    /// An ordinary user, identified by the id the host app authenticated.
    case user(String)
    /// The host app itself (schedules, maintenance jobs). Tasks it creates have creator `"system"`.
    case system

    /// The creator id recorded on tasks this caller creates.
    public static let systemCreatorID = "system"

    /// The creator id stored on tasks this caller creates: the user or admin id, or `"system"`.
    public var creatorID: String {
        switch self {
        case .admin(let id), .user(let id): id
        case .system: Caller.systemCreatorID
        }
    }

    /// `true` for admins and the system.
    public var seesEveryTask: Bool {
        switch self {
        case .admin, .system: true
        case .user: false
        }
    }

    /// Whether this caller may see and manage `task` (deleted tasks are visible to no one).
    public func canSee(_ task: TaskRecord) -> Bool {
        guard task.deletedAt == nil else { return false }
        return seesEveryTask || task.createdBy == creatorID
    }

    /// A readable form such as `user(alice)`.
    public var description: String {
        switch self {
        case .admin(let id): "admin(\(id))"
        case .user(let id): "user(\(id))"
        case .system: "system"
        }
    }

    /// Checks that the id is usable: 1–200 bytes, no control characters, and not the reserved
    /// creator id `"system"` (so no user can see the system's tasks by taking its name).
    func validated() throws -> Caller {
        switch self {
        case .system:
            return self
        case .admin(let id), .user(let id):
            guard !id.isEmpty, id.utf8.count <= 200,
                !id.containsControlCharacters
            else {
                throw TaskworksError.invalidInput(
                    "caller id '\(id.prefix(80))' is not usable: give 1–200 bytes without control "
                        + "characters")
            }
            guard id != Caller.systemCreatorID else {
                throw TaskworksError.invalidInput(
                    "caller id 'system' is reserved for tasks the host creates; use Caller.system "
                        + "or another id")
            }
            return self
        }
    }
}
