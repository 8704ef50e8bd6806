/// A moving average of how long a pool's outcome writes take. Above ``slowThreshold`` (a durable
/// store waiting for `fsync`), worker loops write outcomes from child tasks instead of waiting,
/// so the writes of many tasks share one `fsync`; below it (memory), waiting inline is cheaper
/// than a task.
final class WriteLatency: Sendable {
    static let slowThreshold = Duration.microseconds(50)

    private let average = LockedState<Duration?>(nil)

    func record(_ duration: Duration) {
        average.withLock { average in
            average = average.map { $0 * 0.9 + duration * 0.1 } ?? duration
        }
    }

    var isSlow: Bool {
        average.withLock { ($0 ?? .zero) > WriteLatency.slowThreshold }
    }
}
