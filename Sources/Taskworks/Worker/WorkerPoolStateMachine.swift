/// Every decision of ``WorkerPool`` as a plain value with no locks and no awaits (tested on its
/// own). The pool holds it in a lock and acts on what it returns.
///
/// The pool runs `limit` worker loops. They share a small buffer of claimed tasks: a loop takes
/// the next buffered task; when the buffer is empty one loop (the fetcher) claims a batch for the
/// free slots. While tasks are short (their runs average under ``shortRun``), the batch also
/// takes ``extraRounds`` extra rounds of work, so a freed slot refills without waiting for a
/// claim and claims reach the store in batches (one `fsync` for many tasks); a buffered task then
/// waits at most a few short runs. Long tasks get no extra round, so no task sits claimed while
/// another worker could run it.
struct WorkerPoolStateMachine: Sendable {
    enum Phase: Sendable, Equatable {
        case idle
        case running
        case draining
    }

    /// What a worker loop does next.
    enum WorkerAction: Sendable, Equatable {
        /// Run this task (already counted as running).
        case run(TaskRecord)
        /// Claim up to this many tasks, then report them with ``fetched(_:)``.
        case fetch(Int)
        /// Nothing to do: wait for a wake-up (new work, a finished fetch, a poll).
        case wait
        /// Stop this loop (shutdown, or the limit was lowered).
        case exit
    }

    private(set) var phase = Phase.idle
    private(set) var limit: Int
    /// Worker loops alive.
    private(set) var workers = 0
    /// Runners running now.
    private(set) var running = 0
    /// Claimed tasks not started yet, oldest claim first.
    private(set) var buffer: [TaskRecord] = []
    private(set) var isFetching = false
    /// Moving average of how long runs take, in seconds (`nil` until the first run).
    private(set) var averageRunSeconds: Double?
    /// Runs shorter than this on average earn extra rounds of prefetched work.
    static let shortRun = 0.05
    /// How many rounds of work beyond the free slots a fetch takes while runs are short: a
    /// buffered task then waits at most about this many short runs.
    static let extraRounds = 3

    init(limit: Int) {
        self.limit = limit
    }

    /// Moves to running; `false` when the pool already runs.
    mutating func start() -> Bool {
        guard phase == .idle else { return false }
        phase = .running
        return true
    }

    /// How many worker loops to start now to reach the limit (counted as alive from now on).
    mutating func loopsToStart() -> Int {
        guard phase == .running, workers < limit else { return 0 }
        defer { workers = limit }
        return limit - workers
    }

    mutating func nextAction() -> WorkerAction {
        if phase != .running || workers > limit {
            workers -= 1
            return .exit
        }
        if !buffer.isEmpty {
            running += 1
            return .run(buffer.removeFirst())
        }
        if !isFetching {
            isFetching = true
            let freeSlots = max(1, limit - running)
            let runsAreShort = (averageRunSeconds ?? .infinity) < WorkerPoolStateMachine.shortRun
            return .fetch(freeSlots + (runsAreShort ? WorkerPoolStateMachine.extraRounds * limit : 0))
        }
        return .wait
    }

    /// The fetcher's claim came back. Returns the task the fetcher runs itself (counted as
    /// running), and whether other loops should be woken for the rest.
    mutating func fetched(_ tasks: [TaskRecord]) -> (run: TaskRecord?, wakeOthers: Bool) {
        isFetching = false
        guard phase == .running, let first = tasks.first else {
            buffer += tasks
            return (nil, false)
        }
        running += 1
        buffer += tasks.dropFirst()
        return (first, !buffer.isEmpty)
    }

    mutating func runnerStopped(afterSeconds duration: Double) {
        running = max(0, running - 1)
        averageRunSeconds = averageRunSeconds.map { 0.9 * $0 + 0.1 * duration } ?? duration
    }

    mutating func setLimit(_ newLimit: Int) {
        limit = newLimit
    }

    /// Starts draining; returns the claimed tasks that never started, to be handed back.
    /// Returns `nil` when not running.
    mutating func beginShutdown() -> [TaskRecord]? {
        guard phase == .running else { return nil }
        phase = .draining
        defer { buffer.removeAll() }
        return buffer
    }

    /// Takes tasks that a fetch brought back after shutdown began.
    mutating func takeBuffer() -> [TaskRecord] {
        defer { buffer.removeAll() }
        return buffer
    }

    /// Back to idle after the drain, so the pool can run again.
    mutating func stopped() {
        phase = .idle
        running = 0
        workers = 0
        isFetching = false
        buffer.removeAll()
    }

    var isDraining: Bool { phase == .draining }
}
