import NIOConcurrencyHelpers
import TaskworksDemoHostKit
import Vapor

/// Runs the demo's worker pool and scheduler for the application's lifetime, the Vapor way: they
/// start when the application has booted and stop when it shuts down (running tasks finish
/// within the pool's grace period; the rest go back to pending).
struct TaskworksLifecycle: LifecycleHandler {
    let host: DemoHost
    private let workers = NIOLockedValueBox<DemoWorkers?>(nil)

    init(host: DemoHost) {
        self.host = host
    }

    func didBootAsync(_ application: Application) async throws {
        let started = host.startWorkers()
        workers.withLockedValue { $0 = started }
    }

    func shutdownAsync(_ application: Application) async {
        let running = workers.withLockedValue { workers in
            defer { workers = nil }
            return workers
        }
        await running?.stop()
    }
}
