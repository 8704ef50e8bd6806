#if Postgres
    import Foundation
    import Logging
    import PostgresNIO
    import Taskworks

    /// The store's tables, created and migrated on first use.
    ///
    /// Each migration runs once, in order, inside one transaction holding an advisory lock, so hosts
    /// starting together never race; its number goes into `taskworks_migrations`. A database whose
    /// newest migration is newer than this code knows is refused, never written.
    enum PostgresSchema {
        /// The migrations this code knows, oldest first. Append only: never edit a released one.
        static let migrations:
            [(version: Int, description: String, statements: @Sendable (String) -> [String])] =
                [
                    (
                        1, "tasks table, claim, lease, listing, unique-key and retention indexes",
                        { schema in
                            [
                                """
                                CREATE TABLE \(schema).tasks (
                                    seq bigint GENERATED ALWAYS AS IDENTITY,
                                    id uuid PRIMARY KEY,
                                    type text NOT NULL,
                                    status text NOT NULL
                                        CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
                                    priority bigint NOT NULL,
                                    payload text,
                                    result text,
                                    error_message text,
                                    progress bigint NOT NULL,
                                    created_by text NOT NULL,
                                    artifact_key text,
                                    artifact_file_name text,
                                    artifact_content_type text,
                                    attempts bigint NOT NULL,
                                    max_retries bigint NOT NULL,
                                    manual_retries bigint NOT NULL,
                                    timeout_ms bigint,
                                    run_after float8 NOT NULL,
                                    created_at float8 NOT NULL,
                                    started_at float8,
                                    finished_at float8,
                                    updated_at float8 NOT NULL,
                                    deleted_at float8,
                                    cancel_requested boolean NOT NULL,
                                    lease_owner text,
                                    lease_expires_at float8,
                                    version bigint NOT NULL,
                                    unique_key text
                                )
                                """,
                                // The claim: pending, not deleted, highest priority then oldest.
                                """
                                CREATE INDEX tasks_claim ON \(schema).tasks (priority DESC, created_at, seq)
                                    WHERE status = 'pending' AND deleted_at IS NULL
                                """,
                                "CREATE INDEX tasks_leases ON \(schema).tasks (lease_expires_at) WHERE status = 'running'",
                                "CREATE INDEX tasks_created ON \(schema).tasks (created_at DESC, seq DESC) WHERE deleted_at IS NULL",
                                """
                                CREATE INDEX tasks_creator ON \(schema).tasks (created_by, created_at DESC, seq DESC)
                                    WHERE deleted_at IS NULL
                                """,
                                """
                                CREATE INDEX tasks_unique_key ON \(schema).tasks (unique_key)
                                    WHERE unique_key IS NOT NULL AND status IN ('pending', 'running') AND deleted_at IS NULL
                                """,
                                """
                                CREATE INDEX tasks_finished ON \(schema).tasks (created_at, seq)
                                    WHERE status IN ('succeeded', 'failed', 'cancelled')
                                """,
                            ]
                        }
                    ),
                    (
                        2,
                        "schedule state as its own table; earlier versions' hidden schedule tasks moved into it",
                        { schema in
                            // The hidden tasks the scheduler kept before: type taskworks.schedule, soft-deleted,
                            // the schedule's name in the payload and the tick (seconds since 2001) as result.
                            let legacy = """
                                type = 'taskworks.schedule' AND deleted_at IS NOT NULL AND payload IS NOT NULL
                                    AND jsonb_typeof(payload::jsonb -> 'schedule') = 'string'
                                    AND result ~ '^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$'
                                """
                            return [
                                """
                                CREATE TABLE \(schema).schedule_ticks (
                                    name text PRIMARY KEY,
                                    last_tick float8 NOT NULL,
                                    claim_token uuid NOT NULL
                                )
                                """,
                                """
                                INSERT INTO \(schema).schedule_ticks (name, last_tick, claim_token)
                                SELECT payload::jsonb ->> 'schedule', max(result::float8), gen_random_uuid()
                                FROM \(schema).tasks WHERE \(legacy) GROUP BY 1
                                """,
                                "DELETE FROM \(schema).tasks WHERE \(legacy)",
                            ]
                        }
                    ),
                    (
                        3, "paused tasks (a status) and paused task types (a table the claim consults)",
                        { schema in
                            [
                                "ALTER TABLE \(schema).tasks DROP CONSTRAINT IF EXISTS tasks_status_check",
                                """
                                ALTER TABLE \(schema).tasks ADD CONSTRAINT tasks_status_check
                                    CHECK (status IN ('pending', 'paused', 'running', 'succeeded', 'failed', 'cancelled'))
                                """,
                                "DROP INDEX IF EXISTS \(schema).tasks_unique_key",
                                """
                                CREATE INDEX tasks_unique_key ON \(schema).tasks (unique_key)
                                    WHERE unique_key IS NOT NULL AND status IN ('pending', 'paused', 'running')
                                        AND deleted_at IS NULL
                                """,
                                "CREATE TABLE \(schema).paused_task_types (type text PRIMARY KEY)",
                            ]
                        }
                    ),
                    (
                        4, "shared settings (one row per setting name)",
                        { schema in
                            ["CREATE TABLE \(schema).settings (name text PRIMARY KEY, value bigint NOT NULL)"]
                        }
                    ),
                    (
                        5, "task metadata (a JSON object of strings, NULL for none)",
                        { schema in
                            ["ALTER TABLE \(schema).tasks ADD COLUMN IF NOT EXISTS metadata text"]
                        }
                    ),
                    (
                        6,
                        "dates as timestamptz and payload, result and metadata as jsonb, beside the exact values",
                        { schema in readableColumns(schema) }
                    ),
                    (
                        7,
                        "the timestamptz dates written beside the exact values instead of generated from them",
                        { schema in writtenDateColumns(schema) }
                    ),
                ]

        /// The task columns holding dates, each kept exactly as `<name>_seconds` (float8 seconds since
        /// 2001-01-01) since migration 6, with `<name>` a `timestamptz` made from it.
        static let dateColumns = [
            "run_after", "created_at", "started_at", "finished_at", "updated_at", "deleted_at",
            "lease_expires_at",
        ]

        /// The task columns holding JSON, each kept exactly as `<name>_text` since migration 6, with
        /// `<name>` a `jsonb` made from it.
        static let jsonColumns = ["payload", "result", "metadata"]

        /// Migration 6: the columns Taskworks reads and writes are renamed (their indexes follow),
        /// and generated columns under the old names give a DBA `timestamptz` and `jsonb`. The exact
        /// values stay the store's: `timestamptz` keeps whole microseconds and `jsonb` reorders keys
        /// and rewrites numbers, so neither would give back what was stored to the bit.
        static func readableColumns(_ schema: String) -> [String] {
            let table = "\(schema).tasks"
            var statements: [String] = []
            for column in dateColumns {
                statements.append("ALTER TABLE \(table) RENAME COLUMN \(column) TO \(column)_seconds")
            }
            for column in jsonColumns {
                statements.append("ALTER TABLE \(table) RENAME COLUMN \(column) TO \(column)_text")
            }
            // One rewrite of the table for all the new columns. A date outside timestamptz's range
            // (4713 BC to 294276 AD) reads as NULL there; so does JSON that jsonb refuses (a \u0000
            // escape).
            let dates = dateColumns.map { column in
                "ADD COLUMN \(column) timestamptz GENERATED ALWAYS AS (\(timestamptz(of: column))) STORED"
            }
            let json = jsonColumns.map { column in
                "ADD COLUMN \(column) jsonb GENERATED ALWAYS AS (CASE WHEN strpos(\(column)_text, '\\u0000') = 0 "
                    + "THEN \(column)_text::jsonb END) STORED"
            }
            statements.append("ALTER TABLE \(table) " + (dates + json).joined(separator: ", "))
            return statements
        }

        /// The seconds since 2001 a `timestamptz` column shows (about 4300 BC to 287,000 AD, inside
        /// both `timestamptz`'s range and postgres-nio's encoding); a date outside reads as `NULL`
        /// there. ``readableSecondsSQL`` is the same range in SQL.
        static let readableSeconds: ClosedRange<Double> = -2.0e11...9.0e12

        /// ``readableSeconds`` as an SQL range test.
        static let readableSecondsSQL = "BETWEEN -2.0e11 AND 9.0e12"

        /// SQL for the `timestamptz` of the date column `column`, from its exact `<column>_seconds`
        /// (migrations 6 and 7 convert the same way; the text is what migration 6 was released with).
        static func timestamptz(of column: String) -> String {
            "CASE WHEN \(column)_seconds \(readableSecondsSQL) THEN to_timestamp(\(column)_seconds + 978307200) END"
        }

        /// Migration 7: the `timestamptz` dates become plain columns that every write sets (see
        /// ``TaskRow/readableDate(_:)``), filled once here from the exact values as migration 6
        /// computed them. Generated, they cost the server a conversion of all seven dates on each
        /// insert and outcome write: about a sixth of its CPU in W1 (BENCHMARKS.md). The `jsonb` columns stay
        /// generated (the server parses the JSON either way). The fill writes every row once.
        static func writtenDateColumns(_ schema: String) -> [String] {
            let table = "\(schema).tasks"
            let drops = dateColumns.map { "DROP COLUMN \($0)" }.joined(separator: ", ")
            let adds = dateColumns.map { "ADD COLUMN \($0) timestamptz" }.joined(separator: ", ")
            let fills = dateColumns.map { "\($0) = \(timestamptz(of: $0))" }.joined(separator: ", ")
            return [
                "ALTER TABLE \(table) \(drops)",
                "ALTER TABLE \(table) \(adds)",
                "UPDATE \(table) SET \(fills)",
            ]
        }

        /// What every migration run starts with: the advisory lock that keeps hosts from racing, the
        /// schema and the table of applied migrations.
        static func preamble(_ schema: String) -> [String] {
            [
                "SELECT pg_advisory_xact_lock(hashtextextended('taskworks.migrate.\(schema)', 0))",
                "CREATE SCHEMA IF NOT EXISTS \(schema)",
                """
                CREATE TABLE IF NOT EXISTS \(schema).taskworks_migrations (
                    version integer PRIMARY KEY,
                    description text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
            ]
        }

        /// The newest migration applied to `schema`: 0 when it has no migrations table.
        static func appliedVersion(_ client: PostgresClient, schema: String, logger: Logger) async throws
            -> Int
        {
            var exists = false
            for try await row in try await client.query(
                "SELECT to_regclass(\(schema + ".taskworks_migrations")) IS NOT NULL", logger: logger)
            {
                exists = try row.decode(Bool.self)
            }
            guard exists else { return 0 }
            var version = 0
            for try await row in try await client.query(newestApplied(schema), logger: logger) {
                version = try row.decode(Int.self)
            }
            return version
        }

        /// Throws unless `schema` is at exactly ``latestVersion`` (``PostgresTaskStore/MigrationPolicy/manual``).
        static func requireCurrent(_ client: PostgresClient, schema: String, logger: Logger) async throws {
            let version = try await appliedVersion(client, schema: schema, logger: logger)
            if version > latestVersion { throw newerThanKnown(schema, version: version) }
            guard version == latestVersion else {
                throw TaskworksError(
                    code: .storageFailure,
                    message: "schema '\(schema)' is at migration \(version) and this TaskworksPostgres needs "
                        + "\(latestVersion); apply PostgresTaskStore.migrationSQL(schema: \"\(schema)\", after: \(version)) "
                        + "with your migration tool, call PostgresTaskStore.migrate(client:configuration:), or set "
                        + "configuration.migrations = .onOpen")
            }
        }

        /// The newest migration recorded in `schema`'s `taskworks_migrations` table (0 when empty).
        static func newestApplied(_ schema: String) -> PostgresQuery {
            PostgresQuery(unsafeSQL: "SELECT coalesce(max(version), 0) FROM \(schema).taskworks_migrations")
        }

        /// Opening a store on a schema migrated by newer code is refused, with nothing written.
        static func newerThanKnown(_ schema: String, version: Int) -> TaskworksError {
            TaskworksError(
                code: .corruptStore,
                message: "schema '\(schema)' is at migration \(version), newer than this TaskworksPostgres "
                    + "knows (\(latestVersion)); upgrade the package on this host, or point it at another schema. "
                    + "Nothing was written.")
        }

        /// The newest migration this code knows.
        static var latestVersion: Int { migrations.last?.version ?? 0 }

        /// Creates the schema and applies the migrations it lacks, up to `target` (tests stop early to
        /// build an older schema); returns the versions applied now.
        ///
        /// - Throws: `TaskworksError.Code.corruptStore` when the database has a newer schema than
        ///   this code knows.
        static func migrate(
            _ client: PostgresClient, schema: String, logger: Logger, upTo target: Int = latestVersion
        ) async throws -> [Int] {
            try await client.withTransaction(logger: logger) { connection in
                for statement in preamble(schema) {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                var current = 0
                let rows = try await connection.query(newestApplied(schema), logger: logger)
                for try await row in rows { current = try row.decode(Int.self) }
                guard current <= latestVersion else { throw newerThanKnown(schema, version: current) }
                var applied: [Int] = []
                for migration in migrations where migration.version > current && migration.version <= target {
                    for statement in migration.statements(schema) {
                        _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    _ = try await connection.query(
                        PostgresQuery(
                            unsafeSQL:
                                "INSERT INTO \(schema).taskworks_migrations (version, description) VALUES ($1, $2)",
                            binds: {
                                var binds = PostgresBindings()
                                binds.append(migration.version)
                                binds.append(migration.description)
                                return binds
                            }()), logger: logger)
                    applied.append(migration.version)
                }
                return applied
            }
        }
    }
#endif  // Postgres
