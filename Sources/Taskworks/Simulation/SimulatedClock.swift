import Foundation

/// The simulator's clock: it stands still until the simulator moves it, and every simulated
/// process reads the same time. Its timers are never used: nothing in a simulation sleeps.
final class SimulatedClock: TaskClock {
    private let current: LockedState<Date>

    init(start: Date) { current = LockedState(start) }

    func now() -> Date { current.withLock { $0 } }

    func monotonicNanoseconds() -> UInt64 {
        let seconds = now().timeIntervalSinceReferenceDate
        return UInt64(max(0, seconds) * 1e9)
    }

    func sleep(for duration: Duration) async throws {
        // Nothing in a simulation waits on a clock; a caller that did would get the time moved.
        advance(by: duration.timeInterval)
    }

    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
