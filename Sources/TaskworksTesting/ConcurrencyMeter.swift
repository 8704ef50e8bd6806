import Foundation

/// Tracks how many of something run at once and the most ever seen: call ``enter()`` when a
/// runner starts and ``leave()`` when it ends.
///
/// ```swift
/// let meter = ConcurrencyMeter()
/// try registry.register("job") { _ in ClosureTaskRunner { _ in meter.enter(); defer { meter.leave() }; … } }
/// #expect(meter.maximum <= 2)
/// ```
///
/// `@unchecked Sendable` is safe: the three counters are read and written only while `lock` is
/// held.
public final class ConcurrencyMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts = (current: 0, maximum: 0, started: 0)

    /// Makes a meter at zero.
    public init() {}

    /// One more runs.
    public func enter() {
        lock.withLock {
            counts.current += 1
            counts.started += 1
            counts.maximum = max(counts.maximum, counts.current)
        }
    }

    /// One fewer runs.
    public func leave() {
        lock.withLock { counts.current -= 1 }
    }

    /// How many run now.
    public var current: Int { lock.withLock { counts.current } }
    /// The most that ran at once.
    public var maximum: Int { lock.withLock { counts.maximum } }
    /// How many ever started.
    public var started: Int { lock.withLock { counts.started } }
}
