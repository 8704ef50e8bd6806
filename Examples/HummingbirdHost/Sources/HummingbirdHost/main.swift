import Foundation
import HTTPTypes
import Hummingbird
import Taskworks
import UserExportPlugin

// hummingbird-host: Taskworks' HTTP API and task console on Hummingbird, with the user-export
// plugin on a file store. `swift run hummingbird-host --port 8080`, then open
// http://127.0.0.1:8080/tasks and pick a demo user.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("hummingbird-host: \(message)\n".utf8))
    exit(2)
}

var port = 8080
var dataDirectory = "./hummingbird-data"
var users = 20_000
var allowsQueryCaller = false
var exportPageDelay: Duration = .zero
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    switch flag {
    case "--port":
        guard let text = arguments.popFirst(), let value = Int(text), (0...65_535).contains(value) else {
            fail("--port needs a number from 0 to 65535 (0 picks a free port)")
        }
        port = value
    case "--data-dir":
        guard let value = arguments.popFirst() else { fail("--data-dir needs a directory") }
        dataDirectory = value
    case "--users":
        guard let text = arguments.popFirst(), let value = Int(text), value >= 0 else {
            fail("--users needs a whole number")
        }
        users = value
    case "--allow-query-caller":
        allowsQueryCaller = true
    case "--export-page-delay-ms":
        guard let text = arguments.popFirst(), let value = Int(text), (0...60_000).contains(value) else {
            fail("--export-page-delay-ms needs a number of milliseconds from 0 to 60000")
        }
        exportPageDelay = .milliseconds(value)
    case "--help", "-h":
        print(
            "usage: hummingbird-host [--port N (default 8080)] [--data-dir DIR] [--users N] "
                + "[--allow-query-caller (demo only: ?as=alice names the caller)] "
                + "[--export-page-delay-ms N (pause per page of 100 users, to watch progress)]")
        exit(0)
    default:
        fail("unknown flag '\(flag)'; see --help")
    }
}

let store = try await FileTaskStore(
    directory: dataDirectory + "/store", options: .init(createDirectory: true))
let artifacts = try LocalDirectoryArtifactStore(directory: dataDirectory + "/artifacts")
let registry = TaskRegistry()
let directory: any UserDirectory =
    exportPageDelay > .zero
    ? PacedUserDirectory(base: SampleUserDirectory(count: users), delay: exportPageDelay)
    : SampleUserDirectory(count: users)
try registry.install(UserExportPlugin(directory: directory))
// The role table of the task module this is modelled on, as a policy.
var serviceConfiguration = TaskService.Configuration()
serviceConfiguration.authorization = RoleBasedTaskPolicy(roles: [
    "admin": .init(
        permissions: RoleBasedTaskPolicy.everyTaskPermission.union([UserExportPlugin.exportPermission]),
        seesEveryTask: true),
    "operator": .init(permissions: [
        .list, .view, .cancel, .retry, .pause, .download, UserExportPlugin.exportPermission,
    ]),
    "viewer": .init(permissions: [.list, .view, .download]),
])
let service = TaskService(
    store: store, registry: registry, artifacts: artifacts, configuration: serviceConfiguration)
let scheduler = TaskScheduler(service: service)
try scheduler.add(
    try TaskSchedule(name: "nightly-export", taskType: UserExportPlugin.taskType, trigger: .cron("0 2 * * *"))
)
// Links are signed with a key made at start: they stop working when the server restarts.
var secret = [UInt8](repeating: 0, count: 32)
var generator = SystemRandomNumberGenerator()
for index in secret.indices { secret[index] = generator.next() }
let api = TaskHTTPAPI(
    service: service,
    configuration: .init(
        prefix: "/api", creatableTypes: [UserExportPlugin.taskType],
        downloadLinks: try DownloadLinkSigner(secret: secret, lifetime: .seconds(300)), scheduler: scheduler,
        securityScheme: .object([
            "type": .string("apiKey"), "in": .string("header"), "name": .string("X-Demo-User"),
            "description": .string("Demo only: alice (operator), bob (viewer) or admin"),
        ])))

let console = try TaskConsole(
    configuration: .init(
        apiPrefix: "/api", title: "Tasks — Taskworks",
        createActions: [
            .init(label: "New user export", taskType: UserExportPlugin.taskType, path: "/users/export")
        ],
        demoUsers: DemoAuthentication.users, demoUserCookie: DemoAuthentication.cookie))
let router = Router()
router.middlewares.add(
    TaskworksMiddleware(
        api: api, console: console, prefix: "/api",
        authentication: DemoAuthentication(allowsQueryCaller: allowsQueryCaller)))
let listenPort = port
let app = Application(
    router: router, configuration: .init(address: .hostname("127.0.0.1", port: listenPort)),
    onServerRunning: { channel in
        print("listening on http://127.0.0.1:\(channel.localAddress?.port ?? listenPort)")
        fflush(nil)
    })

let pool = WorkerPool(service: service, configuration: .init(concurrency: 4))
let worker = Task { try await pool.run() }
let scheduling = Task { try await scheduler.run() }
try await app.runService()  // returns after SIGTERM or SIGINT
scheduling.cancel()
pool.shutdown()
try await worker.value
await store.close()
