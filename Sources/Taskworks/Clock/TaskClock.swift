import Foundation

/// Where Taskworks reads the wall-clock time it stores (creation dates, leases, `runAfter`).
/// Inject your own in tests to move time by hand.
///
/// ```swift
/// final class FixedClock: TaskClock {
///     func now() -> Date { Date(timeIntervalSince1970: 1_800_000_000) }
/// }
/// ```
public protocol TaskClock: Sendable {
    /// The current date.
    func now() -> Date
}

/// The system's wall clock.
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
