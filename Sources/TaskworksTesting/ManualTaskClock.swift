import Foundation
import Taskworks

/// A `TaskClock` that moves only when the test moves it, dates and timers alike: poll intervals,
/// wake-ups for due retries and delayed tasks, lease renewals, runner timeouts, shutdown grace
/// periods and schedules all wait on it. A test advances it and sees a lease run out, a retry
/// come due or a schedule fire at once, with no real sleep. Safe to read and move from any
/// thread.
///
/// ```swift
/// let clock = ManualTaskClock()
/// let service = TaskService(store: InMemoryTaskStore(), registry: registry, clock: clock)
/// clock.advance(by: 3600)   // an hour later, at once: every timer due by then fires
/// ```
///
/// Its timers never move back: moving the date back (a negative ``advance(by:)``, or ``set(_:)``
/// to an earlier date) changes the dates stamped from then on, and timers wait for the clock to
/// pass the latest time it reached.
public final class ManualTaskClock: TaskClock {
    private struct Sleeper {
        let deadline: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var date: Date
        /// The timers' time: nanoseconds since `start`, moved by every forward move only.
        var elapsed: UInt64 = 0
        /// The latest date reached, from which forward moves count.
        var latest: Date
        var nextSleeperID: UInt64 = 0
        var sleepers: [UInt64: Sleeper] = [:]
        /// Sleepers whose cancellation ran before they were registered.
        var cancelledBeforeRegistration: Set<UInt64> = []
    }

    private let state: LockedState<State>

    /// Makes a clock that reads `start` until moved (default: 2027-01-15 08:00:00 UTC).
    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = LockedState(State(date: start, latest: start))
    }

    /// The clock's current time.
    public func now() -> Date { state.withLock { $0.date } }

    /// The timers' time: nanoseconds the clock has moved forward since it was made.
    public func monotonicNanoseconds() -> UInt64 { state.withLock { $0.elapsed } }

    /// How many sleepers wait on the clock now (a test can wait for a pool to be idle on it).
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Returns once the clock has moved `duration` past now, or throws `CancellationError` when
    /// the calling task is cancelled first.
    public func sleep(for duration: Duration) async throws {
        let nanoseconds = MonotonicInstant.nanoseconds(of: duration)
        guard nanoseconds > 0 else { return }
        let (id, deadline) = state.withLock { state -> (UInt64, UInt64) in
            state.nextSleeperID &+= 1
            return (
                state.nextSleeperID,
                MonotonicInstant(nanoseconds: state.elapsed).advanced(by: nanoseconds).nanoseconds
            )
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    if state.cancelledBeforeRegistration.remove(id) != nil {
                        return .failure(CancellationError())
                    }
                    if state.elapsed >= deadline { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let sleeper = state.sleepers.removeValue(forKey: id) { return sleeper }
                state.cancelledBeforeRegistration.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        state.withLock { _ = $0.cancelledBeforeRegistration.remove(id) }
    }

    /// Moves the clock forward (or, with a negative value, back) by `seconds`; every sleeper whose
    /// time has come wakes.
    public func advance(by seconds: TimeInterval) {
        move { $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock to `date`; every sleeper whose time has come wakes.
    public func set(_ date: Date) {
        move { _ in date }
    }

    private func move(_ change: (Date) -> Date) {
        let woken = state.withLock { state -> [Sleeper] in
            state.date = change(state.date)
            let forward = state.date.timeIntervalSince(state.latest)
            guard forward > 0 else { return [] }
            state.latest = state.date
            state.elapsed =
                MonotonicInstant(nanoseconds: state.elapsed)
                .advanced(by: forward * 1e9 < 1.8e19 ? UInt64(forward * 1e9) : .max).nanoseconds
            let elapsed = state.elapsed
            let due = state.sleepers.filter { $0.value.deadline <= elapsed }
            for id in due.keys { state.sleepers[id] = nil }
            return Array(due.values)
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }
}
