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
/// Each signal is announced as a `notice` diagnostic. On Linux a C handler only writes the
/// signal's number to a pipe, which Swift code reads; on Apple platforms the signals arrive
/// through Dispatch signal sources. The signals' earlier dispositions are put back on return.
///
/// ```swift
/// try await SignalHandling.run(pool, scheduler: scheduler)   // returns after a clean shutdown
/// ```
public enum SignalHandling {
    /// Runs `pool` (and `scheduler`) until the first of `signals`, then shuts down gracefully;
    /// returns once every runner has stopped.
    ///
    /// - Throws: what ``WorkerPool/run()`` throws; ``TaskworksError/Code/invalidInput`` for a
    ///   signal no handler can catch (such as SIGKILL).
    public static func run(
        _ pool: WorkerPool, scheduler: TaskScheduler? = nil, signals: [Int32] = [SIGTERM, SIGINT]
    ) async throws {
        let received = LockedState(0)
        let scheduling = scheduler.map { scheduler in Task { try await scheduler.run() } }
        let onSignal: @Sendable (Int32) -> Void = { number in
            let count = received.withLock { count in
                count += 1
                return count
            }
            announce(number, count: count, pool: pool)
            scheduling?.cancel()
            pool.shutdown(force: count > 1)
        }
        let stopListening: () -> Void
        do {
            stopListening = try listen(to: signals, onSignal)
        } catch {
            scheduling?.cancel()
            throw error
        }
        defer { stopListening() }
        try await pool.run()
        scheduling?.cancel()
    }

    private static func announce(_ number: Int32, count: Int, pool: WorkerPool) {
        let name = String(cString: strsignal(number))
        let message =
            count > 1
            ? "signal \(number) (\(name)) received again: stopping at once; running tasks go back to pending"
            : "signal \(number) (\(name)) received: stopping gracefully (running tasks get up to "
                + "\(pool.configuration.shutdownGracePeriod)); send a second signal to stop at once"
        pool.engine.diagnostics.emit(
            .notice, message, metadata: ["component": "worker-pool", "worker.id": pool.workerID])
    }

    /// Calls `handler` for each of `signals` until the returned function is called.
    private static func listen(
        to signals: [Int32], _ handler: @escaping @Sendable (Int32) -> Void
    ) throws -> () -> Void {
        #if os(Linux)
            let relay = SignalRelay.shared
            let id = try relay.listen(to: signals, handler)
            return { relay.stopListening(id) }
        #else
            let queue = DispatchQueue(label: "taskworks.signals")
            let sources = signals.map { number -> any DispatchSourceSignal in
                // Ignore the default action (terminate); the kqueue source still sees the signal.
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { handler(number) }
                source.resume()
                return source
            }
            return {
                for source in sources { source.cancel() }
                for number in signals { signal(number, SIG_DFL) }
            }
        #endif
    }
}
