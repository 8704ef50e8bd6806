// A Hummingbird host with logging, the mount and the pool and scheduler as services, compiled
// here so it cannot rot; `.ci/check-readme-examples` checks the documentation that shows it.
import Hummingbird
import Logging
import Taskworks
import TaskworksHummingbird
import TaskworksLogging
import TaskworksServiceLifecycle

/// Serves `router` with the API and the console mounted and a pool and a scheduler over `store`
/// as services of the app; `signedInCaller` is the host's own sign-in.
func runInHummingbird(
    store: any TaskStore, registry: TaskRegistry, router: Router<BasicRequestContext>,
    signedInCaller: @escaping @Sendable (Request) async throws -> Caller?
) async throws {
    // readme:begin hummingbird
    let logger = Logger(label: "my-app")
    var configuration = TaskService.Configuration()
    configuration.diagnostics = TaskDiagnostics(logger: logger)
    configuration.runnerLogHandler = logger.taskLogHandler
    let service = TaskService(store: store, registry: registry, configuration: configuration)
    // The API at /tasks/api, its event stream and the console at /tasks; your sign-in names the caller.
    let mount = try TaskHTTPMount(service: service)
    router.addTaskworks(mount) { request, _ in try await signedInCaller(request) }
    let pool = WorkerPool(service: service)
    let scheduler = TaskScheduler(service: service)
    let app = Application(
        router: router, services: [WorkerPoolService(pool), TaskSchedulerService(scheduler)], logger: logger)
    try await app.runService()  // SIGTERM: the server stops, running tasks finish, exit
    // readme:end hummingbird
}
