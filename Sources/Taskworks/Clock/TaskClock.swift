import Foundation

/// Where Taskworks reads time: the wall-clock dates it stores (creation dates, leases,
/// `runAfter`) and, for every timer (poll intervals, wake-ups for due tasks, lease renewals,
/// runner timeouts, progress writes, shutdown grace periods, schedules), a clock that only moves
/// forward and a way to sleep on it.
///
/// ``now()`` is the only requirement without a default: a clock that implements only it stamps
/// its own dates while timers run on the system's monotonic time. A test clock that implements
/// all three (`ManualTaskClock` in `TaskworksTesting`) moves every timer too: a test advances it
/// and sees a lease run out, a retry come due and a schedule fire, with no real sleep.
///
/// ```swift
/// final class FixedClock: TaskClock {
///     func now() -> Date { Date(timeIntervalSince1970: 1_800_000_000) }
/// }
/// ```
public protocol TaskClock: Sendable {
    /// The current date.
    func now() -> Date

    /// Nanoseconds from an arbitrary origin on a clock that never goes back: what timers measure
    /// intervals with. Default: the system's monotonic clock.
    func monotonicNanoseconds() -> UInt64

    /// Suspends for `duration` of this clock's time, or until the calling task is cancelled (then
    /// it throws `CancellationError`). Default: `Task.sleep(for:)`.
    func sleep(for duration: Duration) async throws
}

extension TaskClock {
    /// The system's monotonic clock (`CLOCK_MONOTONIC`).
    public func monotonicNanoseconds() -> UInt64 { MonotonicInstant.now().nanoseconds }

    /// `Task.sleep(for:)`: real time.
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }

    /// Now on this clock's timers.
    package var monotonicNow: MonotonicInstant { MonotonicInstant(nanoseconds: monotonicNanoseconds()) }
}

/// The system's wall clock; its timers run on the system's monotonic clock.
public struct SystemTaskClock: TaskClock {
    /// Makes the system clock.
    public init() {}

    /// `Date()`.
    public func now() -> Date { Date() }
}

extension TaskClock where Self == SystemTaskClock {
    /// The system's wall clock.
    public static var system: SystemTaskClock { SystemTaskClock() }
}
