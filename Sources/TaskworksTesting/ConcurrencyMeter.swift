import Foundation
import Taskworks

/// Tracks how many of something run at once and the most ever seen: call ``enter()`` when a
/// runner starts and ``leave()`` when it ends.
///
/// ```swift
/// let meter = ConcurrencyMeter()
/// try registry.register("job") { _ in ClosureTaskRunner { _ in meter.enter(); defer { meter.leave() }; … } }
/// #expect(meter.maximum <= 2)
/// ```
public final class ConcurrencyMeter: Sendable {
    private struct Counts: Sendable {
        var current = 0
        var maximum = 0
        var started = 0
    }

    private let counts = LockedState(Counts())

    /// Makes a meter at zero.
    public init() {}

    /// One more runs.
    public func enter() {
        counts.withLock { counts in
            counts.current += 1
            counts.started += 1
            counts.maximum = max(counts.maximum, counts.current)
        }
    }

    /// One fewer runs.
    public func leave() {
        counts.withLock { $0.current -= 1 }
    }

    /// How many run now.
    public var current: Int { counts.withLock { $0.current } }
    /// The most that ran at once.
    public var maximum: Int { counts.withLock { $0.maximum } }
    /// How many ever started.
    public var started: Int { counts.withLock { $0.started } }
}
