import Taskworks

/// The `user_export` task type: writes the host's users, filtered, to a CSV artifact.
///
/// ```swift
/// try registry.install(UserExportPlugin(directory: AccountsDirectory(db: db)))
/// let task = try await service.create(
///     UserExportPlugin.taskType, payload: UserExportRequest(status: .active), createdBy: .user("alice"))
/// // … later
/// let download = try await service.openArtifact(of: task.id, as: .user("alice"))
/// ```
///
/// Payloads are checked when the task is created (``UserExportRequest/validated(_:)``), so a
/// bad filter is refused with `TaskworksError.Code.invalidInput` at once. The service needs an
/// `ArtifactStore` for the CSV.
public struct UserExportPlugin: TaskPlugin {
    /// The registered task type name.
    public static let taskType = "user_export"
    /// The permission creating an export needs under a `RoleBasedTaskPolicy`: an export holds
    /// every user's e-mail, phone, roles and MFA flag.
    public static let exportPermission: TaskPermission = "authorization:user:export"

    /// Where users come from.
    public let directory: any UserDirectory
    /// Users fetched and written per page (memory stays flat whatever the total). Default 100.
    public let pageSize: Int
    /// Dates the file name.
    public let clock: any TaskClock

    /// Makes the plugin over the host's user directory.
    public init(directory: any UserDirectory, pageSize: Int = 100, clock: any TaskClock = SystemTaskClock()) {
        self.directory = directory
        self.pageSize = max(1, pageSize)
        self.clock = clock
    }

    /// Registers `user_export` (three retries, priority 5, no timeout unless the host changes
    /// them), creatable only with ``exportPermission``.
    public func register(into registry: TaskRegistry) throws {
        try registry.register(UserExportPlugin.taskType, factory: Factory(plugin: self))
        try registry.requirePermission(UserExportPlugin.exportPermission, toCreate: UserExportPlugin.taskType)
    }

    /// `POST /users/export` (see the TaskworksHTTP article *The HTTP API and the console*).
    public var httpRoutes: [TaskHTTPRoute] { [UserExportRoute.route] }

    struct Factory: TaskRunnerFactory {
        let plugin: UserExportPlugin

        func makeRunner(for task: TaskRecord) throws -> any TaskRunner {
            UserExportRunner(directory: plugin.directory, pageSize: plugin.pageSize, clock: plugin.clock)
        }

        func validatePayload(_ payload: JSONValue?) throws {
            _ = try UserExportRequest.validated(payload)
        }
    }
}
