import Taskworks

/// Combines writes that arrive while earlier ones are in flight into batches, as a group commit
/// does: a write arriving when fewer than ``maximumInFlight`` batches run goes out at once, alone
/// (so a lone write waits for nothing); the writes that arrive meanwhile go out together in the
/// next batch, in one statement and one commit. A batch never holds two writes of one task.
///
/// One batch at a time by default: with two, the second write of a burst (ten runners finishing
/// together) went out alone as well, so W1 ran 1.2 write statements per claim instead of 0.8,
/// and drained 10–25% slower (BENCHMARKS.md, "Issue 21, seventh pass").
final class CombinedWrites: Sendable {
    /// One compare-and-set write: `task` as version `expectedVersion + 1`.
    struct Write: Sendable {
        let task: TaskRecord
        let expectedVersion: UInt64
    }

    /// Runs one batch and returns one result per write, in order.
    typealias Perform = @Sendable ([Write]) async -> [Result<TaskUpdateResult, any Error>]

    private struct Waiter {
        let write: Write
        let continuation: CheckedContinuation<TaskUpdateResult, any Error>
    }

    private struct State {
        var waiting: [Waiter] = []
        var inFlight = 0
        var counts = PostgresTaskStore.WriteCounts()
    }

    /// The most writes one batch holds.
    let maximumBatch: Int
    /// The most batches running at once (each on its own connection).
    let maximumInFlight: Int
    private let state = Locked(State())

    init(maximumBatch: Int = 500, maximumInFlight: Int = 1) {
        self.maximumBatch = maximumBatch
        self.maximumInFlight = maximumInFlight
    }

    /// The writes run so far, and the batches that carried them.
    var counts: PostgresTaskStore.WriteCounts { state.withLock { $0.counts } }

    /// How many writes wait for a batch to take them.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Queues `write`, then returns its result once the batch holding it ran `perform`.
    func submit(_ write: Write, perform: @escaping Perform) async throws -> TaskUpdateResult {
        try await withCheckedThrowingContinuation { continuation in
            let leads = state.withLock { state -> Bool in
                state.waiting.append(Waiter(write: write, continuation: continuation))
                guard state.inFlight < maximumInFlight else { return false }
                state.inFlight += 1
                return true
            }
            if leads { Task { await drain(perform) } }
        }
    }

    /// Runs batches until no write waits.
    private func drain(_ perform: Perform) async {
        while true {
            let batch = state.withLock { state -> [Waiter] in
                var taken: [Waiter] = []
                var left: [Waiter] = []
                var ids: Set<TaskID> = []
                for waiter in state.waiting {
                    if taken.count < maximumBatch, ids.insert(waiter.write.task.id).inserted {
                        taken.append(waiter)
                    } else {
                        left.append(waiter)
                    }
                }
                state.waiting = left
                if taken.isEmpty {
                    state.inFlight -= 1
                } else {
                    state.counts.writes += taken.count
                    state.counts.statements += 1
                }
                return taken
            }
            guard !batch.isEmpty else { return }
            let results = await perform(batch.map(\.write))
            for (index, waiter) in batch.enumerated() {
                waiter.continuation.resume(
                    with: index < results.count
                        ? results[index]
                        : .failure(
                            TaskworksError.storageFailure(
                                "a combined write returned no result for task \(waiter.write.task.id)")
                        ))
            }
        }
    }
}
