// readme:begin by-url-host
import Foundation
import Hummingbird
import Taskworks
import TaskworksHummingbird
import TaskworksPostgres
import TaskworksServiceLifecycle

struct Greet: TaskDefinition {  // a task type: its payload, its name and its result
    typealias Result = String
    static let taskType = "greet"
    var name: String
}

let environment = ProcessInfo.processInfo.environment
let store = try PostgresTaskStore(runningInServiceGroup: .init(url: environment["DATABASE_URL"] ?? ""))
let registry = TaskRegistry()
try registry.register(Greet.self) { greet, _ in "hello, \(greet.name)" }
let service = TaskService(store: store, registry: registry)
let router = Router()
// The API at /tasks/api (POST /tasks/api/tasks creates a greet), live events, the console at /tasks.
router.addTaskworks(try TaskHTTPMount(service: service, api: .init(creatableTypes: [Greet.taskType]))) {
    request, _ in request.headers[.authorization].map { Caller.user($0) }  // your sign-in here
}
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: Int(environment["PORT"] ?? "") ?? 8080)),
    services: [store, WorkerPoolService(WorkerPool(service: service))])  // the store first: it closes last
try await app.runService()  // SIGTERM: the server stops, running tasks finish, the store closes
// readme:end by-url-host
