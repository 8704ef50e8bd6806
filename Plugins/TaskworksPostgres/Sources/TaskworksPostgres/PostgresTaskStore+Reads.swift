#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    extension PostgresTaskStore {
        /// The task with this id, deleted or not.
        public func task(id: TaskID) async throws -> TaskRecord? {
            let statement = Self.taskQuery(id, in: tasksTable)
            return try await withRetries("reading task \(id)") { [self] _ in
                try await records(statement).first?.record
            }
        }

        /// `SELECT` of the task with this id.
        static func taskQuery(_ id: TaskID, in tasksTable: String) -> PostgresQuery {
            var binds = PostgresBindings(capacity: 1)
            binds.append(id.uuid)
            return PostgresQuery(
                unsafeSQL: "SELECT \(TaskRow.columns) FROM \(tasksTable) WHERE id = $1", binds: binds)
        }

        /// Up to `limit` tasks after `id` in id order (PostgreSQL's `uuid` order is the bytes' order,
        /// as `TaskID`'s `<`), walked on the primary key.
        public func scanTasks(after id: TaskID?, limit: Int) async throws -> [TaskRecord] {
            guard limit > 0 else { return [] }
            var binds = PostgresBindings(capacity: 2)
            binds.append(Int64(limit))
            let after: String
            if let id {
                binds.append(id.uuid)
                after = "WHERE id > $2"
            } else {
                after = ""
            }
            let statement = PostgresQuery(
                unsafeSQL: "SELECT \(TaskRow.columns) FROM \(tasksTable) \(after) ORDER BY id LIMIT $1",
                binds: binds)
            return try await withRetries("scanning tasks") { [self] _ in
                try await records(statement).map(\.record)
            }
        }

        /// Running tasks whose lease expired before `now`, oldest lease first.
        public func expiredLeases(at now: Date, limit: Int) async throws -> [TaskRecord] {
            var binds = PostgresBindings(capacity: 2)
            binds.append(TaskRow.seconds(now))
            binds.append(Int64(max(0, limit)))
            let statement = PostgresQuery(
                unsafeSQL: """
                    SELECT \(TaskRow.columns) FROM \(tasksTable)
                    WHERE status = 'running' AND lease_expires_at_seconds < $1
                    ORDER BY lease_expires_at_seconds, seq LIMIT $2
                    """, binds: binds)
            return try await withRetries("finding expired leases") { [self] _ in
                try await records(statement).map(\.record)
            }
        }

        /// One page of `query`, with the total over all pages. Search is a case-insensitive literal
        /// substring of type, id and error message (`%`, `_` and `\` match themselves), folded by the
        /// database's `lower()`.
        public func query(_ query: TaskQuery) async throws -> TaskPage {
            var binds = PostgresBindings()
            let filter = PostgresTaskStore.whereClause(for: query, binds: &binds)
            let order =
                switch query.sort {
                case .createdDescending: "created_at_seconds DESC, seq DESC"
                case .createdAscending: "created_at_seconds, seq"
                case .priorityDescending: "priority DESC, created_at_seconds DESC, seq DESC"
                case .updatedDescending: "updated_at_seconds DESC, seq DESC"
                }
            let countStatement = PostgresQuery(
                unsafeSQL: "SELECT count(*) FROM \(tasksTable) WHERE \(filter)", binds: binds)
            guard let offset = query.offset else {
                let total = try await withRetries("counting tasks") { [self] _ in
                    try await count(countStatement)
                }
                return TaskPage(items: [], total: total, page: query.page, pageSize: query.pageSize)
            }
            var pageBinds = binds
            pageBinds.append(Int64(query.pageSize))
            pageBinds.append(Int64(offset))
            let pageStatement = PostgresQuery(
                unsafeSQL: """
                    SELECT \(TaskRow.columns), count(*) OVER () FROM \(tasksTable) WHERE \(filter)
                    ORDER BY \(order) LIMIT $\(binds.count + 1) OFFSET $\(binds.count + 2)
                    """, binds: pageBinds)
            return try await withRetries("listing tasks") { [self] _ in
                var items: [TaskRecord] = []
                var total = 0
                for row in try await rows(of: pageStatement) {
                    items.append(try TaskRow.record(from: row).record)
                    total = try row.makeRandomAccess()[row.count - 1].decode(Int.self)
                }
                if items.isEmpty { total = try await count(countStatement) }
                return TaskPage(items: items, total: total, page: query.page, pageSize: query.pageSize)
            }
        }

        /// The `WHERE` clause of a list query (deleted tasks never match); appends its values.
        static func whereClause(for query: TaskQuery, binds: inout PostgresBindings) -> String {
            var conditions = ["deleted_at_seconds IS NULL"]
            func parameter(_ append: (inout PostgresBindings) -> Void) -> String {
                append(&binds)
                return "$\(binds.count)"
            }
            if let statuses = query.statuses {
                conditions.append("status = ANY(\(parameter { $0.append(statuses.map(\.rawValue)) }))")
            }
            if let types = query.types {
                conditions.append("type = ANY(\(parameter { $0.append(Array(types)) }))")
            }
            if let createdBy = query.createdBy {
                conditions.append("created_by = \(parameter { $0.append(createdBy) })")
            }
            if let after = query.createdAfter {
                conditions.append("created_at_seconds >= \(parameter { $0.append(TaskRow.seconds(after)) })")
            }
            if let before = query.createdBefore {
                conditions.append("created_at_seconds < \(parameter { $0.append(TaskRow.seconds(before)) })")
            }
            if let search = query.search, !search.isEmpty {
                // strpos, not LIKE: the search text is never a pattern.
                let needle = parameter { $0.append(search) }
                conditions.append(
                    "strpos(lower(type || chr(10) || id::text || chr(10) || coalesce(error_message, '')), lower(\(needle))) > 0"
                )
            }
            return conditions.joined(separator: " AND ")
        }

        private func count(_ statement: PostgresQuery) async throws -> Int {
            for row in try await rows(of: statement) {
                return try row.decode(Int.self)
            }
            return 0
        }

        /// Counts of tasks that are not deleted, by status and type.
        public func counts(createdBy: String?) async throws -> TaskCounts {
            var binds = PostgresBindings()
            var filter = "deleted_at_seconds IS NULL"
            if let createdBy {
                binds.append(createdBy)
                filter += " AND created_by = $1"
            }
            let statement = PostgresQuery(
                unsafeSQL:
                    "SELECT status, type, count(*) FROM \(tasksTable) WHERE \(filter) GROUP BY status, type",
                binds: binds)
            return try await withRetries("counting tasks") { [self] _ in
                var counts = TaskCounts()
                for row in try await rows(of: statement) {
                    let (statusText, type, count) = try row.decode((String, String, Int).self)
                    guard let status = TaskStatus(rawValue: statusText) else {
                        throw TaskworksError(
                            code: .corruptStore,
                            message: "a task has status '\(statusText.prefix(40))', which "
                                + "Taskworks never writes; the table was changed outside Taskworks")
                    }
                    counts.byStatus[status, default: 0] += count
                    counts.byType[type, default: 0] += count
                }
                return counts
            }
        }

        /// `createdBy`'s tasks created since `createdSince` or still active, newest first.
        public func recentTasks(createdBy: String, createdSince: Date, limit: Int) async throws
            -> [TaskRecord]
        {
            var binds = PostgresBindings(capacity: 3)
            binds.append(createdBy)
            binds.append(TaskRow.seconds(createdSince))
            binds.append(Int64(max(0, limit)))
            let statement = PostgresQuery(
                unsafeSQL: """
                    SELECT \(TaskRow.columns) FROM \(tasksTable)
                    WHERE created_by = $1 AND deleted_at_seconds IS NULL
                        AND (created_at_seconds >= $2 OR status IN ('pending', 'paused', 'running'))
                    ORDER BY created_at_seconds DESC, seq DESC LIMIT $3
                    """, binds: binds)
            return try await withRetries("reading recent tasks") { [self] _ in
                try await records(statement).map(\.record)
            }
        }

        /// Finished or deleted tasks `criteria` allows removing, oldest first.
        public func removableTasks(_ criteria: RemovalCriteria, limit: Int) async throws -> [TaskRecord] {
            let overrides = criteria.finishedBeforeByType.sorted { $0.key < $1.key }
            var binds = PostgresBindings(capacity: 5)
            binds.append(TaskRow.seconds(criteria.deletedBefore))
            binds.append(TaskRow.seconds(criteria.finishedBefore))
            binds.append(overrides.map(\.key))
            binds.append(overrides.map { TaskRow.seconds($0.value) })
            binds.append(Int64(max(0, limit)))
            let statement = PostgresQuery(
                unsafeSQL: """
                    SELECT \(TaskRow.columns) FROM \(tasksTable)
                    WHERE status IN ('succeeded', 'failed', 'cancelled')
                        AND CASE
                            WHEN deleted_at_seconds IS NOT NULL THEN deleted_at_seconds < $1
                            ELSE finished_at_seconds < coalesce(
                                (SELECT c.cutoff FROM unnest($3::text[], $4::float8[]) AS c(type, cutoff)
                                 WHERE c.type = \(tasksTable).type), $2)
                        END
                    ORDER BY created_at_seconds, seq LIMIT $5
                    """, binds: binds)
            return try await withRetries("finding removable tasks") { [self] _ in
                try await records(statement).map(\.record)
            }
        }
    }
#endif  // Postgres
