import Foundation

/// The lease sweep and retention, run beside the worker loops.
extension WorkerPool {
    /// Rescues expired leases every poll interval, and runs retention when configured, until
    /// `stop` is notified.
    func sweepExpiredLeases(until stop: WakeUpCall) async {
        var nextRetention = ContinuousClock.now
        while !state.withLock({ $0.isDraining }) {
            do {
                _ = try await engine.rescueExpiredLeases(limit: 100)
                if let retention = configuration.retention, ContinuousClock.now >= nextRetention {
                    nextRetention = ContinuousClock.now + retention.interval
                    _ = try await engine.pruneTasks(retention, maximumBatches: 10)
                }
            } catch {
                configuration.storeErrorHandler(error)
            }
            await stop.wait(timeout: configuration.pollInterval)
        }
    }
}
