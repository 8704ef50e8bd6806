/// Every decision of ``WorkerPool`` as a plain value with no locks and no awaits (tested on its
/// own). The pool holds it in a lock and acts on what it returns.
///
/// The pool runs `limit` worker loops. When a loop has nothing to run, one loop (the fetcher)
/// claims **at most the free slots**: the loops that are not running a task. Every claimed task
/// therefore has an idle loop waiting for it, and starts as soon as that loop is woken: a task is
/// never claimed (shown `running`, an attempt counted) while it waits behind a busy slot, and a
/// pool whose slots are busy leaves pending work to other pools and processes. The short
/// hand-off list between the fetcher and the woken loops is ``handOff``.
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
        /// Claim up to this many tasks (the free slots), then report them with ``fetched(_:)``.
        case fetch(Int)
        /// Nothing to do: wait for a wake-up (new work, a finished fetch, a poll).
        case wait
        /// Stop this loop (shutdown, or the limit was lowered).
        case exit
    }

    private(set) var phase = Phase.idle
    private(set) var limit: Int
    /// The store's shared ``TaskSettings/maxConcurrentTasks``: runners stay at or under
    /// `min(limit, sharedLimit)`; the loops above it wait.
    private(set) var sharedLimit = Int.max
    /// Worker loops alive.
    private(set) var workers = 0
    /// Runners running now, counting tasks handed to a loop that is about to start them.
    private(set) var running = 0
    /// Tasks the last fetch claimed for loops that were idle, oldest claim first; each is taken
    /// by the next loop that wakes (read from ``handOffStart`` on, so taking one is O(1)).
    private(set) var handOff: [TaskRecord] = []
    private var handOffStart = 0
    private(set) var isFetching = false
    /// A number the pool attaches to the tasks of the current hand-off (read before their claim),
    /// so a loop starting one can tell whether a cancel may have raced the claim.
    private(set) var claimEpoch = 0
    /// When a graceful shutdown stops waiting for runners (and completion callbacks), on the
    /// pool's clock; set when shutdown begins.
    private(set) var shutdownDeadline: MonotonicInstant?
    /// A forced shutdown (or a cancelled `run()`) was asked for: stop runners now.
    private(set) var isForced = false
    /// The drain has stopped the runners (forced, or the grace period ran out): a runner that
    /// registers from now on is stopped before it starts.
    private(set) var runnersMustStop = false
    /// When the retries this pool scheduled and the delayed tasks created in this process come
    /// due, so an idle pool wakes for them before the next poll.
    var dueDates = DueDates()

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

    /// Claimed tasks not started yet.
    var waitingCount: Int { handOff.count - handOffStart }

    mutating func nextAction() -> WorkerAction {
        if phase != .running || workers > limit {
            workers -= 1
            return .exit
        }
        if let task = takeHandOff() {
            running += 1
            return .run(task)
        }
        if !isFetching {
            // This loop runs no task, so at least one slot is free unless the limit was lowered
            // under running tasks; then nothing is claimed until enough of them end.
            let freeSlots = min(limit, sharedLimit) - running
            guard freeSlots > 0 else { return .wait }
            isFetching = true
            return .fetch(freeSlots)
        }
        return .wait
    }

    /// The fetcher's claim, begun when the pool's cancel counter read `epoch`, came back.
    /// Returns the task the fetcher runs itself (counted as running), and whether other loops
    /// should be woken for the rest.
    mutating func fetched(_ tasks: [TaskRecord], epoch: Int = 0) -> (run: TaskRecord?, wakeOthers: Bool) {
        isFetching = false
        claimEpoch = epoch
        guard phase == .running, let first = tasks.first else {
            handOff += tasks
            return (nil, false)
        }
        running += 1
        handOff += tasks.dropFirst()
        return (first, waitingCount > 0)
    }

    /// A loop ended on its own (it retired after a stop request); ``loopsToStart()`` replaces it.
    mutating func loopRetired() {
        assert(workers > 0, "a worker loop retired that was never counted")
        workers -= 1
    }

    mutating func runnerStopped() {
        assert(running > 0, "a runner stopped that was never counted as running")
        running -= 1
    }

    mutating func setLimit(_ newLimit: Int) {
        limit = newLimit
    }

    /// Applies the shared limit; returns whether it rose (waiting loops should claim).
    mutating func setSharedLimit(_ newLimit: Int) -> Bool {
        defer { sharedLimit = newLimit }
        return newLimit > sharedLimit
    }

    /// Starts draining (when running) with runners given until `deadline`; with `force`, runners
    /// are to stop now, also when a graceful shutdown began earlier. Claimed tasks that never
    /// started stay in the hand-off list for the drain to hand back (``takeBuffer()``).
    mutating func beginShutdown(force: Bool, deadline: MonotonicInstant) {
        if force && phase != .idle { isForced = true }
        guard phase == .running else { return }
        phase = .draining
        shutdownDeadline = deadline
    }

    /// Notes that the drain stops every runner now (see ``runnersMustStop``).
    mutating func stopRunners() {
        if phase == .draining { runnersMustStop = true }
    }

    /// Takes the claimed tasks that never started: at the drain, and those a fetch brought back
    /// after shutdown began.
    mutating func takeBuffer() -> [TaskRecord] {
        takeAllHandOff()
    }

    /// Back to idle after the drain, so the pool can run again.
    mutating func stopped() {
        phase = .idle
        running = 0
        workers = 0
        isFetching = false
        shutdownDeadline = nil
        isForced = false
        runnersMustStop = false
        _ = takeAllHandOff()
    }

    var isDraining: Bool { phase == .draining }

    private mutating func takeHandOff() -> TaskRecord? {
        guard handOffStart < handOff.count else { return nil }
        let task = handOff[handOffStart]
        handOffStart += 1
        if handOffStart == handOff.count {
            handOff.removeAll(keepingCapacity: true)
            handOffStart = 0
        }
        return task
    }

    private mutating func takeAllHandOff() -> [TaskRecord] {
        defer {
            handOff.removeAll(keepingCapacity: true)
            handOffStart = 0
        }
        return Array(handOff[handOffStart...])
    }
}
