import Foundation
import Taskworks
import TaskworksHTTP
import UserExportPlugin

/// What both example web hosts run, whatever their framework: a file store, the user-export
/// plugin, the role table of the task module Taskworks is modelled on, a nightly schedule, the
/// HTTP API under `/tasks/api`, the task console at `/tasks` (one ``mount``), and a worker pool. A
/// host adds only its framework's adapter: mount ``mount`` naming the caller with
/// ``caller(named:)``, and run ``pool`` and ``scheduler`` for the app's lifetime.
public struct DemoHost: Sendable {
    /// The names the demo knows: `alice` (an operator), `bob` (a viewer) and `admin`.
    public static let users = ["alice", "bob", "admin"]
    /// The header that names the demo caller.
    public static let userHeader = "X-Demo-User"
    /// The cookie the console's demo picker sets.
    public static let userCookie = "taskworks_demo_user"

    /// The store (close it at the end).
    public let store: FileTaskStore
    /// The service.
    public let service: TaskService
    /// The scheduler, with the `nightly-export` schedule.
    public let scheduler: TaskScheduler
    /// The worker pool (4 at once).
    public let pool: WorkerPool
    /// The task API at `/tasks/api` and the task console at `/tasks`.
    public let mount: TaskHTTPMount
    /// The command line it was made from.
    public let options: DemoHostOptions

    /// Opens the store in `options.dataDirectory` and builds the rest; Taskworks' own messages
    /// go to `diagnostics` and runners' log lines to `runnerLogHandler` (the hosts pass
    /// swift-log bridges; by default both go to standard error).
    ///
    /// - Throws: what opening the store or the artifact directory throws.
    public init(
        options: DemoHostOptions, diagnostics: TaskDiagnostics = .standardError,
        runnerLogHandler: TaskLogHandler? = nil
    ) async throws {
        self.options = options
        var storeOptions = FileTaskStore.Options(createDirectory: true)
        storeOptions.diagnostics = diagnostics
        store = try await FileTaskStore(directory: options.dataDirectory + "/store", options: storeOptions)
        let artifacts = try LocalDirectoryArtifactStore(directory: options.dataDirectory + "/artifacts")
        let registry = TaskRegistry()
        try registry.install(
            UserExportPlugin(
                directory: SampleUserDirectory(count: options.users, pageDelay: options.exportPageDelay)))
        var configuration = TaskService.Configuration()
        configuration.authorization = DemoHost.policy
        configuration.diagnostics = diagnostics
        if let runnerLogHandler { configuration.runnerLogHandler = runnerLogHandler }
        service = TaskService(
            store: store, registry: registry, artifacts: artifacts, configuration: configuration)
        scheduler = TaskScheduler(service: service)
        try scheduler.add(
            try TaskSchedule(
                name: "nightly-export", taskType: UserExportPlugin.taskType, trigger: .cron("0 2 * * *")))
        // Links are signed with a key made at start: they stop working when the server restarts.
        var secret = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in secret.indices { secret[index] = generator.next() }
        mount = try TaskHTTPMount(
            service: service,
            api: .init(
                creatableTypes: [UserExportPlugin.taskType],
                downloadLinks: try DownloadLinkSigner(secret: secret, lifetime: .seconds(300)),
                scheduler: scheduler,
                securityScheme: .object([
                    "type": .string("apiKey"), "in": .string("header"), "name": .string(DemoHost.userHeader),
                    "description": .string("Demo only: alice (operator), bob (viewer) or admin"),
                ])),
            console: .init(
                title: "Tasks — Taskworks",
                createActions: [
                    .init(
                        label: "New user export", taskType: UserExportPlugin.taskType, path: "/users/export")
                ],
                demoUsers: DemoHost.users, demoUserCookie: DemoHost.userCookie))
        pool = WorkerPool(service: service, configuration: .init(concurrency: 4))
    }

    /// The role table of the task module Taskworks is modelled on, as a policy.
    public static let policy = RoleBasedTaskPolicy(roles: [
        "admin": .init(
            permissions: RoleBasedTaskPolicy.everyTaskPermission.union([UserExportPlugin.exportPermission]),
            seesEveryTask: true),
        "operator": .init(permissions: [
            .list, .view, .cancel, .retry, .pause, .download, UserExportPlugin.exportPermission,
        ]),
        "viewer": .init(permissions: [.list, .view, .download]),
    ])

    /// **A demo scheme, not authentication**: the caller a demo name stands for, or `nil` for
    /// any other name. A real host maps its signed-in account to a `Caller` with its roles.
    public static func caller(named name: String?) -> Caller? {
        switch name {
        case "admin"?: .user("admin", roles: ["admin"])
        case "alice"?: .user("alice", roles: ["operator"])
        case "bob"?: .user("bob", roles: ["viewer"])
        default: nil
        }
    }

    /// Prints `listening on http://127.0.0.1:PORT` (what the tests and scripts wait for).
    public static func announce(port: Int) {
        print("listening on http://127.0.0.1:\(port)")
        fflush(nil)
    }
}
