import Taskworks
import TaskworksDemoHostKit
import TaskworksLogging
import TaskworksVapor
import Vapor

// vapor-host: Taskworks' HTTP API and task console in a Vapor 4 app, with the user-export plugin
// on a file store (the shared DemoHost). `swift run vapor-host --port 8080`, then open
// http://127.0.0.1:8080/tasks and pick a demo user.

let options = DemoHostOptions.fromCommandLine(name: "vapor-host")
// Vapor reads its own command line from the environment; the demo's flags are parsed above, so
// Vapor gets only its default command, `serve`.
let app = try await Application.make(Environment(name: "production", arguments: ["vapor-host"]))
// Taskworks' own messages and runners' log lines go to the app's swift-log logger.
let host = try await DemoHost(
    options: options, diagnostics: TaskDiagnostics(logger: app.logger),
    runnerLogHandler: app.logger.taskLogHandler)
app.http.server.configuration.hostname = "127.0.0.1"
app.http.server.configuration.port = options.port
// The API at /tasks/api, its event stream and the console at /tasks; the pool and the scheduler
// run while the app does.
try app.register(collection: TaskworksRoutes(mount: host.mount) { request in demoCaller(of: request) })
app.lifecycle.use(TaskworksLifecycle(pool: host.pool, scheduler: host.scheduler, mount: host.mount))
do {
    try await app.startup()
    DemoHost.announce(port: app.http.server.shared.localAddress?.port ?? options.port)
    // Until SIGTERM or SIGINT (Vapor's serve command handles both).
    try await app.running?.onStop.get()
    // Event streams never end by themselves: end them so the server's shutdown need not wait.
    host.mount.finishEventStreams()
    try await app.asyncShutdown()
    await host.store.close()
} catch {
    try? await app.asyncShutdown()
    throw error
}
