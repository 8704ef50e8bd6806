#if Postgres
    import PostgresNIO
    import Taskworks

    extension TaskService {
        /// Transactional enqueue: creates tasks with statements on `connection`, inside a transaction
        /// the host opened for its own rows. The tasks exist if and only if that transaction
        /// commits; workers cannot see them before, and pools on every host wake at the commit (the
        /// `NOTIFY` is part of the transaction). Checks, permissions and unique keys are as for
        /// `TaskService.create(_:createdBy:)`; a unique key's lock is held until the host's
        /// transaction ends.
        ///
        /// ```swift
        /// try await client.withTransaction(logger: logger) { connection in
        ///     try await connection.query("INSERT INTO users (id, email) VALUES (\(id), \(email))", logger: logger)
        ///     try await service.create([try NewTask("send_welcome", payload: Welcome(userID: id))],
        ///                              createdBy: .system, on: connection)
        /// }
        /// ```
        ///
        /// The service publishes no `created` events for these tasks (it cannot know whether the
        /// transaction will commit), and they take no completion handler.
        ///
        /// - Parameter connection: a connection to the database of the service's
        ///   ``PostgresTaskStore``, inside an open transaction.
        /// - Returns: one `TaskCreation` per task, in the batch's order; they are real only once
        ///   the transaction commits.
        /// - Throws: as `TaskService.create(_:createdBy:)`; `TaskworksError.Code.invalidInput`
        ///   when the service's store is not a ``PostgresTaskStore``. A thrown error leaves nothing of
        ///   the tasks in the transaction; a failed statement aborts it, as PostgreSQL always does.
        public func create(
            _ batch: [NewTask], createdBy caller: Caller, on connection: PostgresConnection
        ) async throws -> [TaskCreation] {
            guard let store = postgresStore else {
                throw TaskworksError.invalidInput(
                    "transactional enqueue needs a TaskService on a PostgresTaskStore; this one runs on \(type(of: store))"
                )
            }
            let records = try prepare(batch, createdBy: caller)
            guard !records.isEmpty else { return [] }
            let outcome: PostgresTaskStore.BatchInsertOutcome
            do {
                outcome = try await store.insert(PostgresTaskStore.newBatch(records), on: connection)
            } catch let error as TaskworksError {
                throw error
            } catch {
                throw PostgresTaskStore.storeError(
                    error, while: "creating \(records.count) tasks in the host's transaction",
                    configuration: store.configuration)
            }
            switch outcome {
            case .inserted(let stored):
                return zip(records, stored).map { TaskCreation(task: $1, isDuplicate: $1.id != $0.id) }
            case .idsTaken(let existing):
                throw TaskworksError.duplicateTaskID(existing[0].id)
            }
        }

        /// ``create(_:createdBy:on:)`` for one task with a payload.
        @discardableResult
        public func create(
            _ type: String, payload: some Encodable & Sendable, options: TaskOptions = TaskOptions(),
            createdBy caller: Caller, on connection: PostgresConnection
        ) async throws -> TaskCreation {
            let created = try await create(
                [try NewTask(type, payload: payload, options: options)], createdBy: caller, on: connection)
            guard let creation = created.first else {
                throw TaskworksError.storageFailure(
                    "creating a \(type) task in the host's transaction returned nothing")
            }
            return creation
        }

        /// The PostgreSQL store under the service's store and any wrappers around it.
        private var postgresStore: PostgresTaskStore? {
            var current: any TaskStore = store
            while true {
                if let postgres = current as? PostgresTaskStore { return postgres }
                guard let forwarding = current as? any ForwardingTaskStore else { return nil }
                current = forwarding.base
            }
        }
    }
#endif  // Postgres
