import Foundation

/// How long a failed attempt waits before its automatic retry: exponential backoff with jitter.
///
/// The delay after attempt *n* is `initialDelay × multiplier^(n−1)`, capped at `maximumDelay`,
/// then spread by ± `jitter` (a fraction) so a burst of failures does not retry in lockstep.
///
/// ```swift
/// var configuration = WorkerPool.Configuration()
/// configuration.retryPolicy = RetryPolicy(initialDelay: .milliseconds(200), maximumDelay: .seconds(60))
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// The delay after the first failed attempt. Default 1 s.
    public var initialDelay: Duration
    /// The growth factor per further attempt (at least 1). Default 2.
    public var multiplier: Double
    /// The longest delay. Default 5 minutes.
    public var maximumDelay: Duration
    /// The spread as a fraction of the delay, 0 to 1. Default 0.2 (± 20 %).
    public var jitter: Double

    /// Makes a policy.
    public init(
        initialDelay: Duration = .seconds(1), multiplier: Double = 2,
        maximumDelay: Duration = .seconds(300), jitter: Double = 0.2
    ) {
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maximumDelay = maximumDelay
        self.jitter = jitter
    }

    /// The delay before retrying after failed attempt number `attempt` (1-based), given a random
    /// number in `0..<1` for the jitter.
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = Double(max(0, attempt - 1))
        let base = initialDelay.timeInterval * pow(max(1, multiplier), exponent)
        let capped = min(base, maximumDelay.timeInterval)
        let spread = min(1, max(0, jitter))
        let factor = 1 + spread * (2 * min(max(random, 0), 1) - 1)
        return .milliseconds(Int64((max(0, capped * factor) * 1000).rounded()))
    }

    /// Checks that the values make sense.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` naming the bad field.
    func validate() throws {
        guard initialDelay >= .zero, maximumDelay >= initialDelay else {
            throw TaskworksError.invalidInput(
                "retryPolicy needs 0 ≤ initialDelay ≤ maximumDelay; got \(initialDelay) and \(maximumDelay)")
        }
        guard multiplier >= 1, multiplier.isFinite else {
            throw TaskworksError.invalidInput("retryPolicy.multiplier must be at least 1; got \(multiplier)")
        }
        guard (0...1).contains(jitter) else {
            throw TaskworksError.invalidInput("retryPolicy.jitter must be between 0 and 1; got \(jitter)")
        }
    }
}
