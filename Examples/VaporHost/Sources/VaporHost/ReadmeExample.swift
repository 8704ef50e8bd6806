// The Vapor example of the DocC articles Getting started and Mounting the API and the console,
// compiled here so it cannot rot; `.ci/check-readme-examples` checks that they show these lines.
import Taskworks
import TaskworksVapor
import Vapor

/// Mounts the API and the console on `app` and runs a pool and a scheduler over `service` while
/// it runs; `signedInCaller` is the host's own sign-in.
func addTaskworks(
    to app: Application, service: TaskService,
    signedInCaller: @escaping @Sendable (Request) async throws -> Caller?
) throws {
    // readme:begin vapor
    let mount = try TaskHTTPMount(service: service)  // the API at /tasks/api, the console at /tasks
    try app.register(
        collection: TaskworksRoutes(mount: mount) { request in try await signedInCaller(request) })
    let pool = WorkerPool(service: service)
    let scheduler = TaskScheduler(service: service)
    // The pool and the scheduler start after boot; at shutdown running tasks finish, the rest go back.
    app.lifecycle.use(TaskworksLifecycle(pool: pool, scheduler: scheduler, mount: mount))
    // readme:end vapor
}
