#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    /// Receives the mutable columns of the `tasks` table one at a time, in table order: the
    /// column's name, its SQL type, whether the store reads it back, and how to read its value from
    /// a task.
    protocol MutableColumnVisitor {
        mutating func visit<Value: PostgresArrayEncodable & PostgresNonThrowingEncodable & Sendable>(
            _ name: String, sqlType: String, readBack: Bool, _ value: (TaskRecord) -> Value?)
    }

    extension MutableColumnVisitor {
        /// A column the store writes and reads back.
        mutating func visit<Value: PostgresArrayEncodable & PostgresNonThrowingEncodable & Sendable>(
            _ name: String, sqlType: String, _ value: (TaskRecord) -> Value?
        ) {
            visit(name, sqlType: sqlType, readBack: true, value)
        }
    }

    extension TaskRow {
        /// The one list of the mutable columns (`id`, `type`, `created_by` and `created_at` never
        /// change): their names, types, order and values all come from here, so the row-by-row and
        /// the column-by-column binds cannot drift apart. The exact columns the store reads come
        /// first; then the `timestamptz` dates written beside them for people querying the table
        /// (see ``readableDate(_:)``), which every write sets and no read selects.
        static func visitMutableColumns(_ visitor: inout some MutableColumnVisitor) {
            visitor.visit("status", sqlType: "text") { $0.status.rawValue }
            visitor.visit("priority", sqlType: "bigint") { Int64($0.priority) }
            visitor.visit("payload_text", sqlType: "text") { $0.payload?.jsonText }
            visitor.visit("result_text", sqlType: "text") { $0.result?.jsonText }
            visitor.visit("error_message", sqlType: "text") { $0.errorMessage }
            visitor.visit("progress", sqlType: "bigint") { Int64($0.progress) }
            visitor.visit("artifact_key", sqlType: "text") { $0.artifact?.key }
            visitor.visit("artifact_file_name", sqlType: "text") { $0.artifact?.fileName }
            visitor.visit("artifact_content_type", sqlType: "text") { $0.artifact?.contentType }
            visitor.visit("attempts", sqlType: "bigint") { Int64($0.attempts) }
            visitor.visit("max_retries", sqlType: "bigint") { Int64($0.maxRetries) }
            visitor.visit("manual_retries", sqlType: "bigint") { Int64($0.manualRetries) }
            visitor.visit("timeout_ms", sqlType: "bigint") { $0.timeoutMilliseconds }
            visitor.visit("run_after_seconds", sqlType: "float8") { seconds($0.runAfter) }
            visitor.visit("started_at_seconds", sqlType: "float8") { $0.startedAt.map(seconds) }
            visitor.visit("finished_at_seconds", sqlType: "float8") { $0.finishedAt.map(seconds) }
            visitor.visit("updated_at_seconds", sqlType: "float8") { seconds($0.updatedAt) }
            visitor.visit("deleted_at_seconds", sqlType: "float8") { $0.deletedAt.map(seconds) }
            visitor.visit("cancel_requested", sqlType: "boolean") { $0.cancelRequested }
            visitor.visit("lease_owner", sqlType: "text") { $0.leaseOwner }
            visitor.visit("lease_expires_at_seconds", sqlType: "float8") { $0.leaseExpiresAt.map(seconds) }
            visitor.visit("unique_key", sqlType: "text") { $0.uniqueKey }
            visitor.visit("metadata_text", sqlType: "text") { task in
                task.metadata.isEmpty
                    ? nil : JSONValue.object(task.metadata.mapValues { .string($0) }).jsonText
            }
            visitor.visit("run_after", sqlType: "timestamptz", readBack: false) { readableDate($0.runAfter) }
            visitor.visit("started_at", sqlType: "timestamptz", readBack: false) {
                readableDate($0.startedAt)
            }
            visitor.visit("finished_at", sqlType: "timestamptz", readBack: false) {
                readableDate($0.finishedAt)
            }
            visitor.visit("updated_at", sqlType: "timestamptz", readBack: false) {
                readableDate($0.updatedAt)
            }
            visitor.visit("deleted_at", sqlType: "timestamptz", readBack: false) {
                readableDate($0.deletedAt)
            }
            visitor.visit("lease_expires_at", sqlType: "timestamptz", readBack: false) {
                readableDate($0.leaseExpiresAt)
            }
        }

        /// A date as the `timestamptz` column beside its exact `<name>_seconds`: whole microseconds
        /// (postgres-nio drops the rest), and `NULL` outside ``PostgresSchema/readableSeconds``, the
        /// range the migrations convert.
        static func readableDate(_ date: Date?) -> Date? {
            guard let date, PostgresSchema.readableSeconds.contains(date.timeIntervalSinceReferenceDate)
            else {
                return nil
            }
            return date
        }

        /// Binds a task's mutable values in ``mutableColumns`` order; with `readBack`, only those
        /// of the columns the store reads back (`true`) or only the others (`false`).
        static func appendMutableValues(
            of task: TaskRecord, to binds: inout PostgresBindings, readBack: Bool? = nil
        ) {
            var binder = RowBinder(task: task, binds: binds, readBack: readBack)
            visitMutableColumns(&binder)
            binds = binder.binds
        }

        /// Binds the mutable values of `tasks` column by column, one array per column in
        /// ``mutableColumns`` order, for a statement that reads them with `unnest`.
        static func appendMutableColumns(of tasks: [TaskRecord], to binds: inout PostgresBindings) {
            var binder = ColumnBinder(tasks: tasks, binds: binds)
            visitMutableColumns(&binder)
            binds = binder.binds
        }

        /// The names and SQL types of the mutable columns, in order.
        struct ColumnNames: MutableColumnVisitor {
            var names: [String] = []
            var sqlTypes: [String] = []
            /// The names of the columns the store reads back.
            var readNames: [String] = []
            /// The names of the columns written for people querying the table, never read.
            var unreadNames: [String] = []

            mutating func visit<Value: PostgresArrayEncodable & PostgresNonThrowingEncodable & Sendable>(
                _ name: String, sqlType: String, readBack: Bool, _ value: (TaskRecord) -> Value?
            ) {
                names.append(name)
                sqlTypes.append(sqlType)
                if readBack { readNames.append(name) } else { unreadNames.append(name) }
            }
        }

        private struct RowBinder: MutableColumnVisitor {
            let task: TaskRecord
            var binds: PostgresBindings
            let readBack: Bool?

            mutating func visit<Value: PostgresArrayEncodable & PostgresNonThrowingEncodable & Sendable>(
                _ name: String, sqlType: String, readBack: Bool, _ value: (TaskRecord) -> Value?
            ) {
                guard self.readBack.map({ $0 == readBack }) ?? true else { return }
                binds.append(value(task))
            }
        }

        private struct ColumnBinder: MutableColumnVisitor {
            let tasks: [TaskRecord]
            var binds: PostgresBindings

            mutating func visit<Value: PostgresArrayEncodable & PostgresNonThrowingEncodable & Sendable>(
                _ name: String, sqlType: String, readBack: Bool, _ value: (TaskRecord) -> Value?
            ) {
                binds.append(NullableArray(elements: tasks.map(value)))
            }
        }
    }
#endif  // Postgres
