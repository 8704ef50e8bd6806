#if Postgres
    import Logging
    import PostgresNIO
    import Taskworks

    extension PostgresTaskStore {
        /// When a store creates and migrates its schema (``Configuration/migrations``).
        public enum MigrationPolicy: Sendable, Hashable {
            /// Opening the store creates the schema and applies the migrations it lacks, under an
            /// advisory lock, so hosts starting together never race. The default.
            case onOpen
            /// Opening the store only checks that the schema is current and fails with
            /// `TaskworksError.Code.storageFailure` otherwise: the host applies
            /// ``migrationSQL(schema:after:)`` with its own migration tool, or calls
            /// ``migrate(client:configuration:)`` when it chooses.
            case manual
        }

        /// The newest migration this version of TaskworksPostgres knows; a schema is current when
        /// its `taskworks_migrations` table holds it.
        public static var schemaVersion: Int { PostgresSchema.latestVersion }

        /// Creates or migrates the schema of `configuration` on a running `client` now, whatever
        /// ``Configuration/migrations`` says; returns the migration versions applied (empty when the
        /// schema was current).
        ///
        /// - Throws: `TaskworksError.Code.invalidInput` for a bad configuration;
        ///   `TaskworksError.Code.corruptStore` when the schema is newer than this code;
        ///   `TaskworksError.Code.storageFailure` when the server fails or does not answer.
        public static func migrate(client: PostgresClient, configuration: Configuration) async throws -> [Int]
        {
            try configuration.validate()
            var migrating = configuration
            migrating.migrations = .onOpen
            return try await openSchema(client: client, configuration: migrating)
        }

        /// The SQL that brings schema `schema` from migration `version` (0: nothing yet) to
        /// ``schemaVersion``, for a host's own migration tool: the same statements, the same
        /// `taskworks_migrations` rows and the same advisory lock opening a store uses. Run it in one
        /// transaction (`psql --single-transaction -f`, or as one migration of your tool). Empty of
        /// migrations when `version` is already current.
        ///
        /// ```swift
        /// try PostgresTaskStore.migrationSQL(schema: "taskworks").write(toFile: "V12__taskworks.sql", …)
        /// ```
        ///
        /// - Throws: `TaskworksError.Code.invalidInput` for a schema name the store would refuse
        ///   or a `version` outside 0…``schemaVersion``.
        public static func migrationSQL(schema: String = "taskworks", after version: Int = 0) throws -> String
        {
            try Configuration.validate(schema: schema)
            guard (0...schemaVersion).contains(version) else {
                throw TaskworksError.invalidInput(
                    "migrations run from 0 to \(schemaVersion); cannot start after migration \(version)")
            }
            var lines = [
                "-- TaskworksPostgres schema '\(schema)': migrations \(version + 1) to \(schemaVersion).",
                "-- Run in one transaction; a store opened with migrations = .manual checks the result.",
            ]
            for statement in PostgresSchema.preamble(schema) { lines.append(statement + ";") }
            for migration in PostgresSchema.migrations where migration.version > version {
                lines.append("")
                lines.append("-- \(migration.version): \(migration.description)")
                for statement in migration.statements(schema) { lines.append(statement + ";") }
                let description = migration.description.replacingOccurrences(of: "'", with: "''")
                lines.append(
                    "INSERT INTO \(schema).taskworks_migrations (version, description) "
                        + "VALUES (\(migration.version), '\(description)');")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
#endif  // Postgres
