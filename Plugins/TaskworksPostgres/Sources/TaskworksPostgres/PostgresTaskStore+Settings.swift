#if Postgres
    import Foundation
    import PostgresNIO
    import Taskworks

    extension PostgresTaskStore {
        /// The shared settings: rows of the `settings` table, defaults for names with no row.
        public func settings() async throws -> TaskSettings {
            let statement = PostgresQuery(unsafeSQL: "SELECT name, value FROM \(settingsTable)")
            return try await withRetries("reading settings") { [self] _ in
                var settings = TaskSettings()
                for row in try await rows(of: statement) {
                    let (name, value) = try row.decode((String, Int64).self)
                    guard name == "maxConcurrentTasks" else { continue }
                    guard let count = Int(exactly: value),
                        TaskSettings.maxConcurrentTasksRange.contains(count)
                    else {
                        throw TaskworksError.corruptStore(
                            "\(settingsTable) holds maxConcurrentTasks = \(value), outside "
                                + "\(TaskSettings.maxConcurrentTasksRange); fix the row or save settings again",
                            path: settingsTable)
                    }
                    settings.maxConcurrentTasks = count
                }
                return settings
            }
        }

        /// Saves the shared settings (an upsert per setting, in one statement).
        public func saveSettings(_ settings: TaskSettings) async throws {
            try settings.validate()
            var binds = PostgresBindings(capacity: 1)
            binds.append(Int64(settings.maxConcurrentTasks))
            let statement = PostgresQuery(
                unsafeSQL: """
                    INSERT INTO \(settingsTable) (name, value) VALUES ('maxConcurrentTasks', $1)
                    ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value
                    """, binds: binds)
            try await withRetries("saving settings") { [self] _ in
                _ = try await committedRowCount(of: statement)
            }
        }
    }
#endif  // Postgres
