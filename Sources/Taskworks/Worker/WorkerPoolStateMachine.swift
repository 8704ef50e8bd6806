/// Every decision of ``WorkerPool`` about when to claim, wait and stop, as a plain value with no
/// locks and no awaits (tested on its own). The pool holds it in a lock and acts on the
/// ``NextStep`` it returns.
struct WorkerPoolStateMachine: Sendable {
    enum Phase: Sendable, Equatable {
        case idle
        case running
        case draining
    }

    enum NextStep: Sendable, Equatable {
        /// Claim up to this many tasks.
        case claim(Int)
        /// Every slot is busy: wait until one frees (or the limit grows).
        case waitForCapacity
        /// Shutdown began: stop claiming and drain.
        case drain
    }

    private(set) var phase = Phase.idle
    private(set) var limit: Int
    private(set) var active = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Moves to running; `false` when the pool already runs.
    mutating func start() -> Bool {
        guard phase == .idle else { return false }
        phase = .running
        return true
    }

    func nextStep() -> NextStep {
        switch phase {
        case .idle, .draining: .drain
        case .running: active < limit ? .claim(limit - active) : .waitForCapacity
        }
    }

    mutating func claimed(_ count: Int) {
        active += count
    }

    mutating func finished() {
        active = max(0, active - 1)
    }

    mutating func setLimit(_ newLimit: Int) {
        limit = newLimit
    }

    /// Starts draining; `false` when not running.
    @discardableResult
    mutating func beginShutdown() -> Bool {
        guard phase == .running else { return false }
        phase = .draining
        return true
    }

    /// Back to idle after the drain, so the pool can run again.
    mutating func stopped() {
        phase = .idle
        active = 0
    }

    var isDraining: Bool { phase == .draining }
}
