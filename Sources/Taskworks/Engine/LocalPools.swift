import Foundation
import Synchronization

/// The worker pools running in this process, as the engine sees them: each can be woken when work
/// appears and asked for the context of an attempt it runs, so a cancel made here reaches the
/// runner at once instead of at the next lease renewal.
final class LocalPools: Sendable {
    private struct Pool {
        let owner: ObjectIdentifier
        let wake: @Sendable (Date?) -> Void
        let runningAttempt: @Sendable (TaskID) -> TaskContext?
        let applySettings: @Sendable (TaskSettings) -> Void
    }

    /// An array, so that reading it under the lock copies a reference, never the pools.
    private let pools = LockedState<[Pool]>([])
    /// How many pools run, so that waking none (creates with no pool in this process) costs one
    /// atomic load.
    private let poolCount = Atomic<Int>(0)
    /// Moves on every cancel of a running task made in this process; pools compare it across a
    /// claim to catch a cancel that raced the claim (see `WorkerPool.mustReadBeforeStart`).
    let cancelEpoch = Atomic<Int>(0)

    init() {}

    /// Adds a pool: `wake` is called when work is claimable now (`nil`) or from a date;
    /// `runningAttempt` answers the context of a task the pool runs; `applySettings` takes new
    /// shared settings saved in this process.
    func add(
        _ owner: AnyObject, wake: @escaping @Sendable (Date?) -> Void,
        runningAttempt: @escaping @Sendable (TaskID) -> TaskContext?,
        applySettings: @escaping @Sendable (TaskSettings) -> Void
    ) {
        pools.withLock { pools in
            pools.removeAll { $0.owner == ObjectIdentifier(owner) }
            pools.append(
                Pool(
                    owner: ObjectIdentifier(owner), wake: wake, runningAttempt: runningAttempt,
                    applySettings: applySettings))
            poolCount.store(pools.count, ordering: .sequentiallyConsistent)  // under the lock: in order
        }
    }

    /// Removes the pool `owner` added.
    func remove(_ owner: AnyObject) {
        pools.withLock { pools in
            pools.removeAll { $0.owner == ObjectIdentifier(owner) }
            poolCount.store(pools.count, ordering: .sequentiallyConsistent)
        }
    }

    /// Wakes every pool: work is claimable now, or (with `due`) from that date.
    func wake(dueAt due: Date? = nil) {
        guard poolCount.load(ordering: .sequentiallyConsistent) > 0 else { return }
        for pool in pools.withLock({ $0 }) { pool.wake(due) }
    }

    /// Hands settings just saved to every pool in this process (pools elsewhere read them within
    /// one poll interval).
    func applySettings(_ settings: TaskSettings) {
        for pool in pools.withLock({ $0 }) { pool.applySettings(settings) }
    }

    /// Stops the runner of a task whose cancel was just stored, if it runs in this process. The
    /// epoch moves first, so that a pool which claimed the task but has not registered its runner
    /// yet sees it moved and reads the task again before starting it: either the lookup finds the
    /// runner or the pool finds the cancel.
    func stopRunner(of id: TaskID) {
        cancelEpoch.add(1, ordering: .sequentiallyConsistent)
        pools.withLock { $0 }.lazy.compactMap { $0.runningAttempt(id) }.first?.control.requestStop(
            .cancelRequested)
    }
}
