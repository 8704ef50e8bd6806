import Foundation
import Synchronization

/// Looks after every running attempt of one pool from a single task: renews leases, writes
/// progress (at most every 250 ms per task, and only when it changed), stops attempts that
/// overran their timeout, and relays a cancel requested in another process (seen when a
/// renewal reads the task back). One supervisor per pool instead of a watcher per task keeps an
/// attempt down to a single task of its own.
///
/// Renewals run beside the supervisor, at most one per attempt: a renewal the store has not
/// answered (a connection that hangs) holds up neither the other attempts nor timeouts, and when
/// the lease as last stored comes within half a renewal interval of running out while its
/// renewal is still unanswered, the runner is stopped: once the lease runs out another pool may
/// rescue the task and run it.
final class AttemptSupervisor: Sendable {
    /// Progress is written at most this often per task.
    static let progressWriteInterval = Duration.milliseconds(250)
    private static let progressWriteNanoseconds = MonotonicInstant.nanoseconds(of: progressWriteInterval)

    private struct Attempt: Sendable {
        let context: TaskContext
        var latest: TaskRecord
        var nextRenewal: MonotonicInstant
        /// The time limit (for the stop reason) and when it runs out.
        let timeout: (limit: Duration, deadline: MonotonicInstant)?
        /// When progress was last written; `nil` before the first write (it is due at once).
        var lastProgressWrite: MonotonicInstant?
        var unwrittenProgress: Int?
        /// Whether a renewal of this attempt is under way (no second one starts meanwhile).
        var renewing = false

        var progressDue: MonotonicInstant? {
            guard unwrittenProgress != nil else { return nil }
            return lastProgressWrite?.advanced(by: AttemptSupervisor.progressWriteNanoseconds)
                ?? MonotonicInstant(nanoseconds: 0)
        }

        /// The next instant something of this attempt is due. While a renewal is under way
        /// neither the next renewal nor a progress write is (they wait for its answer), so a
        /// renewal slower than the interval never makes the supervisor spin.
        var earliestDeadline: MonotonicInstant? {
            var earliest: MonotonicInstant? = renewing ? nil : nextRenewal
            if let timeout { earliest = min(earliest ?? timeout.deadline, timeout.deadline) }
            if !renewing, let progressDue { earliest = min(earliest ?? progressDue, progressDue) }
            return earliest
        }
    }

    private struct State: Sendable {
        /// Attempts by slot: registering and forgetting one is array work, no hashing (lookups by
        /// task id, for cancels and renewals, scan the at most `concurrency` slots).
        var attempts: [Attempt?] = []
        var freeSlots: [Int] = []
        var plannedWake: MonotonicInstant
        var isStopped = false

        func slot(of id: TaskID) -> Int? {
            attempts.firstIndex { $0?.context.task.id == id }
        }
    }

    private let engine: TaskEngine
    private let configuration: WorkerPool.Configuration
    private let state: LockedState<State>
    /// Wakes the supervisor: new progress, an attempt with an earlier deadline, or stop.
    let wakeUp = WakeUpCall()
    /// How many times the supervisor has looked at its attempts (for tests: it must not spin).
    let rounds = Atomic<Int>(0)

    /// ``WorkerPool/Configuration/effectiveRenewalInterval`` in nanoseconds, worked out once
    /// (`Duration` arithmetic is slow enough to show per attempt).
    private let renewalNanoseconds: UInt64
    /// Half a renewal interval, in seconds, worked out once: how close to running out an
    /// unanswered renewal may let the lease come before the runner is stopped.
    private let renewalMarginSeconds: Double

    init(engine: TaskEngine, configuration: WorkerPool.Configuration) {
        self.engine = engine
        self.configuration = configuration
        self.renewalNanoseconds = MonotonicInstant.nanoseconds(of: configuration.effectiveRenewalInterval)
        self.renewalMarginSeconds = configuration.effectiveRenewalInterval.timeInterval / 2
        self.state = LockedState(State(plannedWake: engine.clock.monotonicNow))
    }

    /// Watches `context`'s attempt; returns its slot, for ``unregister(slot:)``.
    func register(_ context: TaskContext) -> Int {
        let now = engine.clock.monotonicNow
        let timeout = context.task.timeoutMilliseconds.map { milliseconds in
            (
                Duration.milliseconds(milliseconds),
                now.advanced(by: MonotonicInstant.nanoseconds(ofMilliseconds: milliseconds))
            )
        }
        let attempt = Attempt(
            context: context, latest: context.task, nextRenewal: now.advanced(by: renewalNanoseconds),
            timeout: timeout, lastProgressWrite: nil, unwrittenProgress: nil)
        let (slot, wakeEarlier) = state.withLock { state -> (Int, Bool) in
            let slot: Int
            if let free = state.freeSlots.popLast() {
                slot = free
                state.attempts[slot] = attempt
            } else {
                slot = state.attempts.count
                state.attempts.append(attempt)
            }
            return (slot, attempt.earliestDeadline.map { $0 < state.plannedWake } ?? false)
        }
        if wakeEarlier { wakeUp.notify() }
        return slot
    }

    /// Forgets the attempt in `slot` and returns the newest stored copy of its task the
    /// supervisor saw.
    func unregister(slot: Int) -> TaskRecord? {
        state.withLock { state -> TaskRecord? in
            guard state.attempts.indices.contains(slot), let attempt = state.attempts[slot] else {
                return nil
            }
            state.attempts[slot] = nil
            state.freeSlots.append(slot)
            return attempt.latest
        }
    }

    /// Notes a copy of a watched task stored outside the supervisor (a renewal before the runner
    /// started), so the supervisor's next write starts from it instead of a stale version.
    func noteStored(_ record: TaskRecord) {
        state.withLock { state in
            if let slot = state.slot(of: record.id) { state.attempts[slot]?.latest = record }
        }
    }

    /// The context of a running attempt of task `id`, if this supervisor watches one.
    func context(for id: TaskID) -> TaskContext? {
        state.withLock { state in state.slot(of: id).flatMap { state.attempts[$0]?.context } }
    }

    var contexts: [TaskContext] {
        state.withLock { $0.attempts.compactMap { $0?.context } }
    }

    func stop() {
        state.withLock { $0.isStopped = true }
        wakeUp.notify()
    }

    /// Runs until ``stop()``, then waits for the renewals under way.
    func run() async {
        await withDiscardingTaskGroup { renewalsUnderWay in
            while true {
                let now = engine.clock.monotonicNow
                let (wake, stops, renewals) = plan(at: now, wallClock: engine.clock.now())
                for (context, reason) in stops { context.control.requestStop(reason) }
                for renewal in renewals {
                    renewalsUnderWay.addTask {
                        await self.renew(renewal.context, from: renewal.latest, progress: renewal.progress)
                    }
                }
                guard let wake else { return }
                await wakeUp.wait(timeout: now.duration(until: wake), on: engine.clock)
            }
        }
    }

    private typealias Renewal = (context: TaskContext, latest: TaskRecord, progress: Int?)

    /// What is due at `now`: attempts to stop, renewals to start, and when to look again (`nil`
    /// once stopped).
    private func plan(
        at now: MonotonicInstant, wallClock: Date
    ) -> (wake: MonotonicInstant?, stops: [(TaskContext, AttemptControl.StopReason)], renewals: [Renewal]) {
        rounds.add(1, ordering: .relaxed)
        var stops: [(TaskContext, AttemptControl.StopReason)] = []
        var renewals: [Renewal] = []
        let wake: MonotonicInstant? = state.withLock { state in
            guard !state.isStopped else { return nil }
            // Idle, it still wakes once per renewal interval: an attempt registered meanwhile
            // has its first deadline (its renewal) after that, so registering never needs to
            // wake the supervisor (only a timeout shorter than the interval does).
            var wake = now.advanced(by: renewalNanoseconds)
            for slot in state.attempts.indices {
                guard var attempt = state.attempts[slot], attempt.context.control.stopReason == nil else {
                    continue
                }
                if let timeout = attempt.timeout, now >= timeout.deadline {
                    stops.append((attempt.context, .timedOut(timeout.limit)))
                    continue
                }
                if let progress = attempt.context.control.takeDirtyProgress() {
                    attempt.unwrittenProgress = progress
                }
                if attempt.renewing {
                    let left = attempt.latest.leaseExpiresAt?.timeIntervalSince(wallClock) ?? 0
                    let spare = left - renewalMarginSeconds
                    if spare <= 0 {
                        stops.append((attempt.context, .leaseLost))
                        continue
                    }
                    wake = min(wake, now.advanced(by: MonotonicInstant.nanoseconds(of: .seconds(spare))))
                } else {
                    let progressDue = attempt.progressDue.map { now >= $0 } ?? false
                    if progressDue || now >= attempt.nextRenewal {
                        renewals.append((attempt.context, attempt.latest, attempt.unwrittenProgress))
                        if attempt.unwrittenProgress != nil { attempt.lastProgressWrite = now }
                        attempt.unwrittenProgress = nil
                        attempt.nextRenewal = now.advanced(by: renewalNanoseconds)
                        attempt.renewing = true
                    }
                }
                if let due = attempt.earliestDeadline { wake = min(wake, due) }
                state.attempts[slot] = attempt
            }
            state.plannedWake = wake
            return wake
        }
        return (wake, stops, renewals)
    }

    /// Marks the renewal of `context`'s attempt answered (stored or failed), keeping `stored`;
    /// `false` when the attempt ended meanwhile. Progress reported meanwhile is written next.
    private func renewalEnded(_ context: TaskContext, stored: TaskRecord?) -> Bool {
        let (watched, progressWaits) = state.withLock { state -> (Bool, Bool) in
            guard let slot = state.slot(of: context.task.id), state.attempts[slot]?.context === context else {
                return (false, false)
            }
            state.attempts[slot]?.renewing = false
            if let stored { state.attempts[slot]?.latest = stored }
            return (true, state.attempts[slot]?.unwrittenProgress != nil)
        }
        if progressWaits { wakeUp.notify() }
        return watched
    }

    /// Extends the lease of the attempt `context` runs and stores its progress; stops the runner
    /// when the lease is lost or a cancel was requested (possibly from another process).
    ///
    /// Everything after the write concerns that attempt only. The write may answer after the
    /// attempt ended and the same pool claimed the task's retry; the retry's attempt has a
    /// context of its own, which an answer about the earlier attempt must never stop.
    private func renew(_ context: TaskContext, from latest: TaskRecord, progress: Int?) async {
        let owner = configuration.workerID
        let attemptNumber = context.task.attempts
        let startedAt = context.task.startedAt
        let stored: TaskRecord
        do {
            stored = try await engine.mutate(context.task.id, startingFrom: latest) { current in
                guard
                    let next = TaskTransitions.renew(
                        current, owner: owner, attempt: attemptNumber, startedAt: startedAt,
                        progress: progress,
                        now: engine.clock.now(), leaseDuration: configuration.leaseDuration)
                else { return nil }
                return (next, next.progress != current.progress ? .progress : nil)
            }
        } catch {
            _ = renewalEnded(context, stored: nil)
            configuration.storeErrorHandler?(error)
            if configuration.leaseRunsOutBeforeNextRenewal(of: latest, at: engine.clock.now()) {
                // No renewal can be stored in time: stop rather than run on beside a rescuer.
                context.control.requestStop(.leaseLost)
            }
            return
        }
        // The attempt may have ended while the write was under way.
        guard renewalEnded(context, stored: stored) else { return }
        if !TaskTransitions.holdsLease(stored, owner: owner, attempt: attemptNumber, startedAt: startedAt) {
            context.control.requestStop(.leaseLost)
        } else if stored.cancelRequested {
            context.control.requestStop(.cancelRequested)
        }
    }
}
