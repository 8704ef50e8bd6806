import Taskworks
import TaskworksDemoHostKit
import TaskworksLogging
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
app.middleware.use(TaskworksVaporMiddleware(api: host.api, console: host.console, prefix: "/api"))
app.lifecycle.use(TaskworksLifecycle(host: host))
do {
    try await app.startup()
    DemoHost.announce(port: app.http.server.shared.localAddress?.port ?? options.port)
    // Until SIGTERM or SIGINT (Vapor's serve command handles both).
    try await app.running?.onStop.get()
    // Event streams never end by themselves: end them so the server's shutdown need not wait.
    host.api.finishEventStreams()
    try await app.asyncShutdown()
} catch {
    try? await app.asyncShutdown()
    throw error
}
