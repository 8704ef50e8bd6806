import Foundation
import Synchronization
import Taskworks

/// A `TaskClock` that moves only when the test moves it, so delays, retries, leases,
/// schedules and retention can be tested without waiting. Safe to read and move from any thread.
///
/// ```swift
/// let clock = ManualTaskClock()
/// let service = TaskService(store: InMemoryTaskStore(), registry: registry, clock: clock)
/// clock.advance(by: 3600)   // an hour later, at once
/// ```
public final class ManualTaskClock: TaskClock {
    private let current: Mutex<Date>

    /// Makes a clock that reads `start` until moved (default: 2027-01-15 08:00:00 UTC).
    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    /// The clock's current time.
    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward (or, with a negative value, back) by `seconds`.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
