import Foundation

/// The lease sweep and retention, run beside the worker loops.
extension WorkerPool {
    /// Reads the store's shared settings and applies them (a read that fails is reported to
    /// ``Configuration/storeErrorHandler`` and the last known settings stay).
    func readSharedSettings() async {
        do {
            applySharedSettings(try await engine.sharedSettings())
        } catch {
            configuration.storeErrorHandler?(error)
        }
    }

    /// Applies shared settings: ``TaskSettings/maxConcurrentTasks`` caps the runners; loops that
    /// wait claim at once when it rises.
    func applySharedSettings(_ settings: TaskSettings) {
        if state.withLock({ $0.setSharedLimit(settings.maxConcurrentTasks) }) { wakeUp.notify() }
    }

    /// Rescues expired leases and reads the shared settings every poll interval, and runs
    /// retention when configured, until `stop` is notified.
    func sweepExpiredLeases(until stop: WakeUpCall) async {
        let clock = engine.clock
        var nextRetention = clock.monotonicNow
        while !state.withLock({ $0.isDraining }) {
            do {
                _ = try await engine.rescueExpiredLeases(limit: 100)
                if let retention = configuration.retention, clock.monotonicNow >= nextRetention {
                    nextRetention = clock.monotonicNow.advanced(
                        by: MonotonicInstant.nanoseconds(of: retention.interval))
                    _ = try await engine.pruneTasks(retention, maximumBatches: 10)
                }
            } catch {
                configuration.storeErrorHandler?(error)
            }
            await stop.wait(timeout: configuration.pollInterval, on: clock)
            // run() read them before the loops started; from then on, once per poll.
            await readSharedSettings()
        }
    }
}
