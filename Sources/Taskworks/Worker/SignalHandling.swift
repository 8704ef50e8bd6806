import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a worker pool (and a scheduler, if given) as the main job of a process until it is told
/// to stop by a signal — what a container platform, systemd or a terminal's Ctrl-C sends.
///
/// The first SIGTERM or SIGINT stops the scheduler and starts the pool's graceful shutdown
/// (running tasks get ``WorkerPool/Configuration/shutdownGracePeriod`` to finish, then go back
/// to pending); a second one forces it (running tasks are stopped and go back to pending at once).
/// The signals are received through Dispatch signal sources, not C signal handlers, so nothing
/// unsafe runs in signal context.
///
/// ```swift
/// try await SignalHandling.run(pool, scheduler: scheduler)   // returns after a clean shutdown
/// ```
public enum SignalHandling {
    /// Runs `pool` (and `scheduler`) until the first of `signals`, then shuts down gracefully;
    /// returns once every runner has stopped.
    ///
    /// - Throws: what ``WorkerPool/run()`` throws.
    public static func run(
        _ pool: WorkerPool, scheduler: TaskScheduler? = nil, signals: [Int32] = [SIGTERM, SIGINT]
    ) async throws {
        let received = LockedState(0)
        let scheduling = scheduler.map { scheduler in Task { try await scheduler.run() } }
        let queue = DispatchQueue(label: "taskworks.signals")
        let sources = signals.map { number -> any DispatchSourceSignal in
            // Ignore the default action (terminate); the source still sees the signal.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let count = received.withLock { count in
                    count += 1
                    return count
                }
                scheduling?.cancel()
                pool.shutdown(force: count > 1)
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            for number in signals { signal(number, SIG_DFL) }
        }
        try await pool.run()
        scheduling?.cancel()
    }
}
