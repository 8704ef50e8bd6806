import Foundation

/// Graceful shutdown: what the pool does after it stops claiming.
extension WorkerPool {
    /// Hands back tasks claimed but never started, waits for running tasks up to the grace
    /// period, then stops the rest.
    func drain(_ supervisor: AttemptSupervisor) async {
        for task in unstartedAtShutdown.withLock({ tasks in
            defer { tasks.removeAll() }
            return tasks
        }) {
            await release(task)
        }
        let clock = engine.clock
        let deadline = clock.monotonicNow.advanced(
            by: MonotonicInstant.nanoseconds(of: configuration.shutdownGracePeriod))
        while state.withLock({ $0.running }) > 0 {
            let remaining = clock.monotonicNow.duration(until: deadline)
            if remaining <= .zero || forceStop.withLock({ $0 }) {
                for context in supervisor.contexts { context.control.requestStop(.shutdown) }
                return
            }
            await wakeUp.wait(timeout: remaining, on: clock)
        }
    }
}
