#if Postgres
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
            /// Which try this is (1 first): from the second on, the write may find that an earlier
            /// try committed although its answer was lost.
            var attempt = 1
        }

        /// How one try of a batch ended.
        enum BatchOutcome: Sendable {
            /// One result per write, in order.
            case finished([Result<TaskUpdateResult, any Error>])
            /// The try failed on its connection (broken, or no answer in time): after `delay`, the
            /// writes are tried again at the front of the next batch, beside the writes that came
            /// meanwhile, so one stuck statement holds the others for one try only. A write on its
            /// `attemptsAllowed`-th try fails with `error` instead.
            case retry(after: Duration, attemptsAllowed: Int, error: any Error)
        }

        /// Runs one try of a batch.
        typealias Perform = @Sendable ([Write]) async -> BatchOutcome

        private struct Waiter {
            var write: Write
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
        private let state = LockedState(State())

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
                switch await perform(batch.map(\.write)) {
                case .finished(let results):
                    for (index, waiter) in batch.enumerated() {
                        waiter.continuation.resume(
                            with: index < results.count
                                ? results[index]
                                : .failure(
                                    TaskworksError.storageFailure(
                                        "a combined write returned no result for task \(waiter.write.task.id)"
                                    )
                                ))
                    }
                case .retry(let delay, let attemptsAllowed, let error):
                    var again: [Waiter] = []
                    for var waiter in batch {
                        if waiter.write.attempt >= attemptsAllowed {
                            waiter.continuation.resume(throwing: error)
                        } else {
                            waiter.write.attempt += 1
                            again.append(waiter)
                        }
                    }
                    state.withLock { $0.waiting.insert(contentsOf: again, at: 0) }
                    try? await Task.sleep(for: delay)
                }
            }
        }
    }
#endif  // Postgres
