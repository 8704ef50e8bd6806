#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    /// How a `TaskRecord` maps to a row of the `tasks` table and back. Dates are `float8` seconds
    /// since 2001-01-01 (`Date.timeIntervalSinceReferenceDate`) in the `<name>_seconds` columns, so
    /// every date round-trips to the bit; payloads, results and metadata are JSON text written by
    /// `JSONValue.jsonText` in `<name>_text`. For people querying the table, every write also sets
    /// the `timestamptz` columns under the plain date names, and the server generates the `jsonb`
    /// ones from the text (``PostgresSchema``); the store never reads either.
    enum TaskRow {
        /// The columns fixed at insert, in the order ``appendInsertValues(of:to:)`` binds them first.
        static let fixedColumns = ["id", "type", "created_by", "created_at_seconds"]

        /// The mutable columns an update writes (`SET col = $n, …`), in the order of
        /// ``visitMutableColumns(_:)``, which lists them.
        static let mutableColumns = mutableColumnNames.names

        /// The SQL type of each of ``mutableColumns``, in the same order: a statement that binds
        /// them as arrays casts each one, since an array of `NULL`s carries no type of its own.
        static let mutableColumnTypes = mutableColumnNames.sqlTypes

        private static let mutableColumnNames = {
            var names = ColumnNames()
            visitMutableColumns(&names)
            return names
        }()

        /// The exact columns an insert writes, which reads select: the fixed ones, the mutable ones
        /// the store reads back, then `version`.
        static let exactColumns = fixedColumns + mutableColumnNames.readNames + ["version"]

        /// The `timestamptz` columns an insert writes beside ``exactColumns``, never read.
        static let readableDateColumns = ["created_at"] + mutableColumnNames.unreadNames

        /// The columns an insert writes, in the order ``appendInsertValues(of:to:)`` binds them.
        static let insertColumns = (exactColumns + readableDateColumns).joined(separator: ", ")

        /// How many values ``appendInsertValues(of:to:)`` binds for one task.
        static let insertValueCount = exactColumns.count + readableDateColumns.count

        /// The columns every read selects, in the order ``record(from:)`` decodes them: the exact
        /// ones, then the insertion sequence number.
        static let columns = (exactColumns + ["seq"]).joined(separator: ", ")

        /// The same columns qualified by `alias` (for statements that join).
        static func columns(qualifiedBy alias: String) -> String {
            (exactColumns + ["seq"]).map { "\(alias).\($0)" }.joined(separator: ", ")
        }

        /// Binds a new task's values in ``insertColumns`` order, with version 1.
        static func appendInsertValues(of task: TaskRecord, to binds: inout PostgresBindings) {
            appendExactInsertValues(of: task, to: &binds)
            binds.append(readableDate(task.createdAt))
            appendMutableValues(of: task, to: &binds, readBack: false)
        }

        /// Binds a new task's values in ``exactColumns`` order, with version 1.
        static func appendExactInsertValues(of task: TaskRecord, to binds: inout PostgresBindings) {
            binds.append(task.id.uuid)
            binds.append(task.type)
            binds.append(task.createdBy)
            binds.append(seconds(task.createdAt))
            appendMutableValues(of: task, to: &binds, readBack: true)
            binds.append(Int64(1))
        }

        /// Stored metadata (a JSON object of strings, or `NULL` for none) as a map.
        static func metadata(_ text: String?, of id: TaskID) throws -> [String: String] {
            guard let text else { return [:] }
            guard let metadata = (try? JSONValue(jsonText: text))?.stringMembers else {
                throw TaskworksError(
                    code: .corruptStore,
                    message: "task \(id) has metadata that is not a JSON object of strings",
                    taskID: id)
            }
            return metadata
        }

        /// A stored date as the store writes it.
        static func seconds(_ date: Date) -> Double { date.timeIntervalSinceReferenceDate }

        /// A row selected with ``columns`` as a task, and its insertion sequence number.
        ///
        /// - Throws: `TaskworksError.Code.corruptStore` when a value is not one the store writes.
        static func record(from row: PostgresRow) throws -> (record: TaskRecord, sequence: Int64) {
            let cells = row.makeRandomAccess()
            var index = 0
            func next<T: PostgresDecodable>(_ type: T.Type) throws -> T {
                defer { index += 1 }
                do {
                    return try cells[index].decode(T.self)
                } catch {
                    throw TaskworksError(
                        code: .corruptStore,
                        message:
                            "column \(cells[index].columnName) of a tasks row is not a \(T.self): \(error); "
                            + "the table was changed outside Taskworks")
                }
            }
            func date(_ seconds: Double) -> Date { Date(timeIntervalSinceReferenceDate: seconds) }
            func json(_ text: String?) throws -> JSONValue? {
                guard let text else { return nil }
                do {
                    return try JSONValue(jsonText: text)
                } catch {
                    throw TaskworksError(
                        code: .corruptStore, message: "a stored payload or result is not JSON: \(error)")
                }
            }

            let id = TaskID(uuid: try next(UUID.self))
            let type = try next(String.self)
            let createdBy = try next(String.self)
            let createdAt = date(try next(Double.self))
            let statusText = try next(String.self)
            guard let status = TaskStatus(rawValue: statusText) else {
                throw TaskworksError(
                    code: .corruptStore,
                    message: "task \(id) has status '\(statusText.prefix(40))', which Taskworks "
                        + "never writes; the table was changed outside Taskworks", taskID: id)
            }
            var record = TaskRecord(
                id: id, type: type, priority: Int(try next(Int64.self)), createdBy: createdBy,
                createdAt: createdAt)
            record.status = status
            record.payload = try json(try next(String?.self))
            record.result = try json(try next(String?.self))
            record.errorMessage = try next(String?.self)
            record.progress = Int(try next(Int64.self))
            let artifactKey = try next(String?.self)
            let artifactFileName = try next(String?.self)
            let artifactContentType = try next(String?.self)
            if let artifactKey, let artifactFileName {
                record.artifact = try TaskArtifact(
                    key: artifactKey, fileName: artifactFileName,
                    contentType: artifactContentType ?? "application/octet-stream")
            }
            record.attempts = Int(try next(Int64.self))
            record.maxRetries = Int(try next(Int64.self))
            record.manualRetries = Int(try next(Int64.self))
            record.timeoutMilliseconds = try next(Int64?.self)
            record.runAfter = date(try next(Double.self))
            record.startedAt = try next(Double?.self).map(date)
            record.finishedAt = try next(Double?.self).map(date)
            record.updatedAt = date(try next(Double.self))
            record.deletedAt = try next(Double?.self).map(date)
            record.cancelRequested = try next(Bool.self)
            record.leaseOwner = try next(String?.self)
            record.leaseExpiresAt = try next(Double?.self).map(date)
            record.uniqueKey = try next(String?.self)
            record.metadata = try self.metadata(try next(String?.self), of: id)
            let version = try next(Int64.self)
            guard version >= 1 else {
                throw TaskworksError(
                    code: .corruptStore, message: "task \(id) has version \(version); versions start at 1",
                    taskID: id)
            }
            record.version = UInt64(version)
            let sequence = try next(Int64.self)
            return (record, sequence)
        }
    }
#endif  // Postgres
