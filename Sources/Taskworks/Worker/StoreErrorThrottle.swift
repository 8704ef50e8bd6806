/// Keeps a failing store from flooding the host's error handler: an error whose description
/// equals one already reported within the last `interval` (the pool's poll interval) is counted
/// but not reported again. A full disk fails every write of every worker loop; the host hears of
/// it once per interval, not dozens of times a second.
final class StoreErrorThrottle: Sendable {
    private struct Seen: Sendable {
        var lastReport: ContinuousClock.Instant
        var suppressed = 0
    }

    private let interval: Duration
    private let seen = LockedState<[String: Seen]>([:])

    init(interval: Duration) {
        self.interval = interval
    }

    /// `handler`, called only for errors not reported within the interval.
    func wrapping(_ handler: @escaping @Sendable (any Error) -> Void) -> @Sendable (any Error) -> Void {
        { [self] error in
            if shouldReport(String(describing: error), at: .now) { handler(error) }
        }
    }

    /// Whether an error described as `description` is reported at `now` (and records it).
    func shouldReport(_ description: String, at now: ContinuousClock.Instant) -> Bool {
        seen.withLock { seen in
            if var entry = seen[description], now - entry.lastReport < interval {
                entry.suppressed += 1
                seen[description] = entry
                return false
            }
            if seen.count >= 64 { seen = seen.filter { now - $0.value.lastReport < interval } }
            seen[description] = Seen(lastReport: now)
            return true
        }
    }

    /// How many reports of `description` were held back since it was last reported.
    func suppressedCount(of description: String) -> Int {
        seen.withLock { $0[description]?.suppressed ?? 0 }
    }
}
