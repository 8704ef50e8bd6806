import Foundation
import Hummingbird
import Logging
import Taskworks
import TaskworksDemoHostKit
import TaskworksHummingbird
import TaskworksLogging
import TaskworksServiceLifecycle

// hummingbird-host: Taskworks' HTTP API and task console on Hummingbird, with the user-export
// plugin on a file store (the shared DemoHost). `swift run hummingbird-host --port 8080`, then
// open http://127.0.0.1:8080/tasks and pick a demo user.

let options = DemoHostOptions.fromCommandLine(name: "hummingbird-host")
let logger = Logger(label: "hummingbird-host")
// Taskworks' own messages and runners' log lines go through swift-log, with their metadata.
let host = try await DemoHost(
    options: options, diagnostics: TaskDiagnostics(logger: logger), runnerLogHandler: logger.taskLogHandler)
let router = Router()
// The API at /tasks/api, its event stream and the console at /tasks, in one call.
let authentication = DemoAuthentication(allowsQueryCaller: options.allowsQueryCaller)
router.addTaskworks(host.mount) { request, _ in authentication.caller(of: request) }
// The pool and the scheduler are services of the application's ServiceGroup: on SIGTERM or
// SIGINT the server stops, the scheduler stops, and the pool lets running tasks finish within its
// grace period and hands back the rest.
let app = Application(
    router: router, configuration: .init(address: .hostname("127.0.0.1", port: options.port)),
    services: [WorkerPoolService(host.pool), TaskSchedulerService(host.scheduler)],
    onServerRunning: { channel in DemoHost.announce(port: channel.localAddress?.port ?? options.port) },
    logger: logger)
try await app.runService()
await host.store.close()
