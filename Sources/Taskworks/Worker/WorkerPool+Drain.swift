import Foundation

/// Shutdown: what the pool does after it stops claiming.
extension WorkerPool {
    /// Hands back tasks claimed but never started, waits for running tasks until the shutdown's
    /// deadline, then stops the rest; stops them at once when the shutdown is forced.
    func drain(_ supervisor: AttemptSupervisor) async {
        for task in state.withLock({ $0.takeBuffer() }) {
            await release(task)
        }
        let clock = engine.clock
        while true {
            let (running, forced, deadline) = state.withLock {
                ($0.running, $0.isForced, $0.shutdownDeadline)
            }
            guard running > 0 else { return }
            let remaining = deadline.map { clock.monotonicNow.duration(until: $0) } ?? .zero
            if remaining <= .zero || forced {
                state.withLock { $0.stopRunners() }
                for context in supervisor.contexts { context.control.requestStop(.shutdown) }
                return
            }
            await drainWakeUp.wait(timeout: remaining, on: clock)
        }
    }

    /// After a graceful shutdown, waits until the completion callbacks running in this process
    /// have returned, up to the shutdown's deadline (a `warning` diagnostic names how many were
    /// left). A forced shutdown or a cancelled `run()` does not wait.
    func awaitCallbacksAfterGracefulShutdown() async {
        let (forced, deadline) = state.withLock { ($0.isForced, $0.shutdownDeadline) }
        guard !forced, !Task.isCancelled, let deadline else { return }
        let callbacks = engine.callbacks
        awaitsCallbacks.store(true, ordering: .sequentiallyConsistent)
        defer { awaitsCallbacks.store(false, ordering: .sequentiallyConsistent) }
        if await callbacks.waitUntilIdle(before: deadline, on: engine.clock) { return }
        guard !Task.isCancelled, callbacks.runningCount > 0 else { return }
        engine.diagnostics.emit(
            .warning,
            "\(callbacks.runningCount) completion callback(s) were still running when the shutdown "
                + "grace period ran out; the pool stopped without them (raise shutdownGracePeriod to wait longer)",
            metadata: ["component": "worker-pool", "worker.id": workerID])
    }
}
