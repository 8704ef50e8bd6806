import Foundation
import Taskworks

#if Postgres
    import TaskworksPostgres
#endif

/// `migrate status|up|sql`: the PostgreSQL schema's migrations. `status` says whether the schema
/// is current (exit 1 when it is not, with what to run); `up` applies what it lacks, under the
/// advisory lock hosts share; `sql` prints the SQL of the migrations after `--after N` for your
/// own tool, without connecting.
enum MigrateCommand {
    static func run(_ location: StoreLocation, arguments: CommandArguments, output: CommandOutput)
        async throws
        -> Int32
    {
        try arguments.checkKnown(options: ["after"])
        let action = try arguments.positionals(exactly: 1, naming: "status, up or sql")[0]
        guard ["status", "up", "sql"].contains(action) else {
            throw CommandLineError.usage("migrate takes status, up or sql, not '\(action)'")
        }
        guard case .postgres(let url) = location else {
            throw TaskworksError(
                code: .unsupported,
                message: "migrate is for PostgreSQL; a file store upgrades its format itself when it opens")
        }
        #if Postgres
            var configuration = try PostgresTaskStore.Configuration(url: url)
            configuration.applicationName = "taskworks-cli"
            configuration.diagnostics = output.diagnostics
            let json = arguments.flags.contains("json")
            switch action {
            case "sql":
                let after = try arguments.integer(
                    "after", in: 0...PostgresTaskStore.schemaVersion, default: 0)
                output.standardOutput(
                    try PostgresTaskStore.migrationSQL(schema: configuration.schema, after: after))
                return 0
            case "up":
                configuration.migrations = .onOpen
                let store = try await PostgresTaskStore(configuration: configuration)
                let applied = store.appliedMigrations
                await store.close()
                output.line(
                    json
                        ? JSONValue.object([
                            "schema": .string(configuration.schema),
                            "applied": .array(applied.map { .integer(Int64($0)) }),
                            "version": .integer(Int64(PostgresTaskStore.schemaVersion)),
                        ]).jsonText
                        : applied.isEmpty
                            ? "schema \(configuration.schema) is current (migration \(PostgresTaskStore.schemaVersion))"
                            : "schema \(configuration.schema): applied migrations "
                                + applied.map(String.init).joined(separator: ", "))
                return 0
            default:
                configuration.migrations = .manual
                do {
                    let store = try await PostgresTaskStore(configuration: configuration)
                    await store.close()
                } catch let error as TaskworksError {
                    // An older schema (what to run), a newer one (refused), or no connection.
                    output.line(
                        json
                            ? JSONValue.object(["current": .bool(false), "message": .string(error.message)])
                                .jsonText
                            : error.message + "; from the shell: taskworks migrate up")
                    return 1
                }
                output.line(
                    json
                        ? JSONValue.object([
                            "current": .bool(true),
                            "version": .integer(Int64(PostgresTaskStore.schemaVersion)),
                        ]).jsonText
                        : "schema \(configuration.schema) is current (migration \(PostgresTaskStore.schemaVersion))"
                )
                return 0
            }
        #else
            _ = url
            throw CommandLineError.usage(
                "this taskworks was built without PostgreSQL; build it with --traits Postgres")
        #endif
    }
}
