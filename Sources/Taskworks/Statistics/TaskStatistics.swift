import Foundation

/// Throughput and queue depth over a recent window, per minute, per task type and in total:
/// what an operator's dashboard shows. Made by ``TaskService/statistics(over:as:)``.
///
/// The figures come from each task's latest dates (created, started, finished), so a task retried
/// within the window counts its latest attempt only, and queue depth is reconstructed backwards
/// from the pending count now.
public struct TaskStatistics: Sendable, Hashable {
    /// Per-minute counts, oldest minute first; the last minute is the one in progress.
    public struct Series: Sendable, Hashable {
        /// Tasks created in each minute.
        public var created: [Int]
        /// Tasks whose latest attempt started in each minute.
        public var started: [Int]
        /// Tasks that succeeded in each minute.
        public var succeeded: [Int]
        /// Tasks that failed for good in each minute.
        public var failed: [Int]
        /// Pending tasks at the end of each minute (the last: now).
        public var queueDepth: [Int]

        /// An empty series of `minutes` minutes.
        public init(minutes: Int) {
            created = Array(repeating: 0, count: minutes)
            started = created
            succeeded = created
            failed = created
            queueDepth = created
        }
    }

    /// The start of the first minute.
    public var start: Date
    /// The number of minutes.
    public var minutes: Int
    /// Every type together.
    public var total: Series
    /// Per task type, for the types with any task in the window or pending now.
    public var byType: [String: Series]
    /// The median wait from creation to start of the tasks started in the window.
    public var waitP50: Duration?
    /// The 95th percentile of that wait.
    public var waitP95: Duration?
    /// Types by tasks started in the window, most first (at most 5).
    public var busiestTypes: [String]
    /// Types by the 95th percentile of their run time (start to finish) in the window, slowest
    /// first (at most 5).
    public var slowestTypes: [String]
}
