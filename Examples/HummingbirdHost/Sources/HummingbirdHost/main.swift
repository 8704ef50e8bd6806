import Foundation
import Hummingbird
import TaskworksDemoHostKit

// hummingbird-host: Taskworks' HTTP API and task console on Hummingbird, with the user-export
// plugin on a file store (the shared DemoHost). `swift run hummingbird-host --port 8080`, then
// open http://127.0.0.1:8080/tasks and pick a demo user.

let options = DemoHostOptions.fromCommandLine(name: "hummingbird-host")
let host = try await DemoHost(options: options)
let router = Router()
router.middlewares.add(
    TaskworksMiddleware(
        api: host.api, console: host.console, prefix: "/api",
        authentication: DemoAuthentication(allowsQueryCaller: options.allowsQueryCaller)))
let app = Application(
    router: router, configuration: .init(address: .hostname("127.0.0.1", port: options.port)),
    onServerRunning: { channel in DemoHost.announce(port: channel.localAddress?.port ?? options.port) })
// The server runs until SIGTERM or SIGINT; then the pool finishes or hands back its tasks.
try await host.runWorkers { try await app.runService() }
