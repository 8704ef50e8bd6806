import Foundation

/// One attempt a simulated process runs: the claimed copy of its task, the steps its runner
/// still takes, and how it will end.
struct SimulatedAttempt: Sendable {
    enum Ending: Sendable, CaseIterable {
        case succeed
        case fail
        case failPermanently
    }

    var task: TaskRecord
    var stepsLeft: Int
    let ending: Ending
    var progress = 0

    var attempt: Int { task.attempts }
}

/// A simulated process: its own ``TaskService`` (and engine) over the shared store, a worker id
/// that changes when it crashes, and the attempts its runners are in.
struct SimulatedProcess: Sendable {
    let number: Int
    var service: TaskService
    let concurrency: Int
    var generation = 1
    var attempts: [SimulatedAttempt] = []
    /// A stalled process takes no step (no claim, no renewal, no outcome) until it resumes: what
    /// a long pause of the garbage collector, a swapped-out machine or SIGSTOP does.
    var isStalled = false

    var owner: String { "p\(number).\(generation)" }
    var engine: TaskEngine { service.engine }
    var freeSlots: Int { concurrency - attempts.count }
}

/// What the simulator remembers of one task it created, to judge what the store shows.
struct SimulatedTaskModel: Sendable {
    let index: Int
    let creator: String
    /// The status last seen in the store (or returned by a write).
    var lastStatus: TaskStatus = .pending
    /// Whether an operator's retry succeeded since the task was last seen terminal.
    var retriedSinceTerminal = false
    /// The newest claim of the task: its owner, attempt number and start.
    var latestClaim: (owner: String, attempt: Int, startedAt: Date?)?
    /// The highest progress stored for the newest claim.
    var progress = 0
}
