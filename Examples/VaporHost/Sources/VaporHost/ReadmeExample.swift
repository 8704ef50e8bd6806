// The README's Vapor example ("Running inside a server app"), compiled here so it cannot rot;
// `.ci/check-readme-examples` checks that the README shows exactly the marked lines.
import NIOConcurrencyHelpers
import Taskworks
import Vapor

// readme:begin vapor
/// Runs a worker pool and a scheduler while the Vapor app runs: `app.lifecycle.use(...)`.
struct TaskworksWorkers: LifecycleHandler {
    let pool: WorkerPool
    let scheduler: TaskScheduler
    private let running = NIOLockedValueBox<[Task<Void, any Error>]>([])

    init(pool: WorkerPool, scheduler: TaskScheduler) {
        self.pool = pool
        self.scheduler = scheduler
    }

    func didBootAsync(_ application: Application) async throws {
        let pool = self.pool
        let scheduler = self.scheduler
        running.withLockedValue { $0 = [Task { try await pool.run() }, Task { try await scheduler.run() }] }
    }

    func shutdownAsync(_ application: Application) async {
        let tasks = running.withLockedValue { $0 }
        tasks.last?.cancel()  // the scheduler stops
        pool.shutdown()  // running tasks finish within the grace period; the rest go back
        for task in tasks { _ = try? await task.value }
    }
}
// readme:end vapor
