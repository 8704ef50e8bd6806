#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    extension PostgresTaskStore {
        /// Runs one try of a batch of compare-and-set writes: one alone as a single `UPDATE`, more
        /// as one `UPDATE … FROM unnest(…)` whose rows each carry their id and expected version, then
        /// one read of the tasks it did not change. A try whose connection breaks or that gets no
        /// answer within ``Configuration/statementTimeout`` asks ``CombinedWrites`` to try its writes
        /// again in the next batch.
        func tryWrites(_ batch: [CombinedWrites.Write]) async -> CombinedWrites.BatchOutcome {
            let what =
                batch.count == 1 ? "updating task \(batch[0].task.id)" : "updating \(batch.count) tasks"
            do {
                try await readiness.wait(limit: configuration.statementTimeout)
                let results = try await watchdog.run(what) { [self] in
                    if batch.count == 1, let write = batch.first { return [try await updateOne(write)] }
                    return try await combinedUpdate(
                        batch, statement: CombinedUpdateStatement(writes: batch, channel: notificationChannel)
                    )
                }
                return .finished(results.map { .success($0) })
            } catch let error where PostgresTaskStore.isConnectionFailure(error) || error is StatementTimedOut
            {
                let attempt = batch.map(\.attempt).max() ?? 1
                let delay = Duration.milliseconds(50 * (1 << min(attempt - 1, 5)))
                if attempt < configuration.connectionAttempts {
                    configuration.report(
                        "\(what): the connection failed (\(PostgresTaskStore.summary(of: error))); trying again in "
                            + "\(delay) with the writes made meanwhile (attempt \(attempt + 1) of "
                            + "\(configuration.connectionAttempts))")
                }
                return .retry(
                    after: delay, attemptsAllowed: configuration.connectionAttempts,
                    error: PostgresTaskStore.storeError(error, while: what, configuration: configuration))
            } catch {
                guard batch.count > 1 else {
                    let failure = PostgresTaskStore.storeError(
                        error, while: what, configuration: configuration)
                    return .finished([.failure(failure)])
                }
                // The server refused the statement (a row it cannot store, say): nothing of it was
                // applied. Each write then goes alone, so it stands or fails on its own.
                return .finished(await writesOneByOne(batch))
            }
        }

        /// Runs each write of `batch` as its own statement: the refused ones fail, the others are
        /// applied. A connection failure here fails that write (its caller sees a store error).
        private func writesOneByOne(_ batch: [CombinedWrites.Write]) async -> [Result<
            TaskUpdateResult, any Error
        >] {
            var results: [Result<TaskUpdateResult, any Error>] = []
            for write in batch {
                let what = "updating task \(write.task.id)"
                do {
                    results.append(
                        .success(try await watchdog.run(what) { [self] in try await updateOne(write) }))
                } catch {
                    results.append(
                        .failure(
                            PostgresTaskStore.storeError(error, while: what, configuration: configuration)))
                }
            }
            return results
        }

        /// Runs a batch to the end, trying it again as ``CombinedWrites`` would (without its
        /// batching): one result per write, in order.
        func performWrites(_ batch: [CombinedWrites.Write]) async -> [Result<TaskUpdateResult, any Error>] {
            var batch = batch
            while true {
                switch await tryWrites(batch) {
                case .finished(let results): return results
                case .retry(let delay, let attemptsAllowed, let error):
                    guard batch.allSatisfy({ $0.attempt < attemptsAllowed }) else {
                        return Array(repeating: .failure(error), count: batch.count)
                    }
                    for index in batch.indices { batch[index].attempt += 1 }
                    try? await Task.sleep(for: delay)
                }
            }
        }

        private func combinedUpdate(
            _ batch: [CombinedWrites.Write], statement: CombinedUpdateStatement
        ) async throws -> [TaskUpdateResult] {
            var updated: [TaskID: TaskRecord] = [:]
            for stored in try await runPrepared(statement).map(\.record) { updated[stored.id] = stored }
            let unchanged = batch.filter { updated[$0.task.id] == nil }
            var current: [TaskID: TaskRecord] = [:]
            if !unchanged.isEmpty {
                let query = PostgresQuery(
                    unsafeSQL: "SELECT \(TaskRow.columns) FROM \(tasksTable) WHERE id = ANY($1)",
                    binds: Self.bindings(unchanged.map(\.task.id.uuid)))
                for stored in try await records(query).map(\.record) { current[stored.id] = stored }
            }
            return batch.map { write in
                if let stored = updated[write.task.id] { return .updated(stored) }
                guard let stored = current[write.task.id] else { return .notFound }
                // On a retry the write may have committed before the connection broke.
                if write.attempt > 1, stored.version == write.expectedVersion &+ 1,
                    stored.isSameState(as: write.task)
                {
                    return .updated(stored)
                }
                return .conflict(current: stored)
            }
        }
    }
#endif  // Postgres
