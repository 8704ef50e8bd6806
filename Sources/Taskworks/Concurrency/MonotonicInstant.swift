#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A point on a ``TaskClock``'s timers (``TaskClock/monotonicNanoseconds()``, the system's
/// monotonic clock by default), in nanoseconds: deadlines kept per attempt cost integer
/// additions and comparisons, not `Duration`'s 128-bit arithmetic. Sums saturate, so no
/// duration (however long, even from a stored record) overflows.
package struct MonotonicInstant: Comparable, Sendable {
    package let nanoseconds: UInt64

    package init(nanoseconds: UInt64) {
        self.nanoseconds = nanoseconds
    }

    /// Now on the system's monotonic clock; timers read their service's clock instead
    /// (``TaskClock/monotonicNow``).
    package static func now() -> MonotonicInstant {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        let seconds = UInt64(clamping: time.tv_sec)
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return MonotonicInstant(nanoseconds: overflow ? .max : scaled).advanced(
            by: UInt64(clamping: time.tv_nsec))
    }

    /// This instant plus `nanoseconds`, saturating.
    package func advanced(by nanoseconds: UInt64) -> MonotonicInstant {
        let (sum, overflow) = self.nanoseconds.addingReportingOverflow(nanoseconds)
        return MonotonicInstant(nanoseconds: overflow ? .max : sum)
    }

    /// How long from this instant until `later` (zero when `later` is not later).
    package func duration(until later: MonotonicInstant) -> Duration {
        guard later.nanoseconds > nanoseconds else { return .zero }
        return .nanoseconds(Int64(clamping: later.nanoseconds - nanoseconds))
    }

    /// `duration` in nanoseconds: zero when negative, saturating when longer than 584 years.
    package static func nanoseconds(of duration: Duration) -> UInt64 {
        let parts = duration.components
        guard parts.seconds >= 0 else { return 0 }
        let (scaled, overflow) = UInt64(parts.seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (sum, overflowAdding) = scaled.addingReportingOverflow(
            UInt64(max(0, parts.attoseconds / 1_000_000_000)))
        return overflowAdding ? .max : sum
    }

    /// `milliseconds` in nanoseconds: zero when negative, saturating.
    package static func nanoseconds(ofMilliseconds milliseconds: Int64) -> UInt64 {
        let (scaled, overflow) = UInt64(clamping: milliseconds).multipliedReportingOverflow(by: 1_000_000)
        return overflow ? .max : scaled
    }

    package static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }
}
