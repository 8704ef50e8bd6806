import Foundation
import Taskworks

#if Postgres
    import TaskworksPostgres
#endif

/// The store a command works on, from `--store` (or `TASKWORKS_STORE`): `file:PATH` for a file
/// store directory, `postgres://…` for PostgreSQL (a build with the `Postgres` trait).
package enum StoreLocation: Sendable, Equatable {
    /// A file store's directory.
    case file(String)
    /// A PostgreSQL URL.
    case postgres(String)

    /// Reads `text`.
    ///
    /// - Throws: ``CommandLineError`` when `text` is neither form.
    package init(_ text: String) throws {
        if text.hasPrefix("file:") {
            let path = String(text.dropFirst("file:".count))
            guard !path.isEmpty else {
                throw CommandLineError.usage("--store file: needs a directory: file:/var/lib/app/tasks")
            }
            self = .file(path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(text)
        } else {
            throw CommandLineError.usage(
                "--store takes file:DIRECTORY or postgres://USER@HOST/DATABASE, not '\(text)'")
        }
    }

    /// An open store and how to close it.
    package struct Opened: Sendable {
        /// The store.
        package var store: any TaskStore
        /// Closes it.
        package var close: @Sendable () async -> Void
    }

    /// Opens the store, its warnings going to `diagnostics`. A file store must exist (a command
    /// never creates one); a PostgreSQL schema must be current (only `migrate` changes it).
    ///
    /// - Throws: what the store throws when it opens; ``CommandLineError`` for PostgreSQL in a
    ///   build without the `Postgres` trait.
    package func open(diagnostics: TaskDiagnostics) async throws -> Opened {
        switch self {
        case .file(let directory):
            var options = FileTaskStore.Options()
            options.diagnostics = diagnostics
            let store = try await FileTaskStore(directory: directory, options: options)
            return Opened(store: store, close: { await store.close() })
        case .postgres(let url):
            #if Postgres
                var configuration = try PostgresTaskStore.Configuration(url: url)
                configuration.migrations = .manual
                configuration.diagnostics = diagnostics
                configuration.applicationName = "taskworks-cli"
                let store = try await PostgresTaskStore(configuration: configuration)
                return Opened(store: store, close: { await store.close() })
            #else
                _ = url
                throw CommandLineError.usage(
                    "this taskworks was built without PostgreSQL; build it with --traits Postgres")
            #endif
        }
    }
}

/// The caller a command acts as, from `--as NAME` and `--role ROLE`: `system` (the default),
/// `admin:ID`, or any other name for a user with that id.
package enum CallerText {
    /// Reads the caller.
    ///
    /// - Throws: ``CommandLineError`` for an empty name.
    package static func caller(named name: String?, roles: [String]) throws -> Caller {
        guard let name, name != Caller.systemCreatorID else { return .system }
        if name.hasPrefix("admin:") {
            let id = String(name.dropFirst("admin:".count))
            guard !id.isEmpty else { throw CommandLineError.usage("--as admin: needs an id: --as admin:ops") }
            return .admin(id, roles: Set(roles))
        }
        guard !name.isEmpty else { throw CommandLineError.usage("--as needs a name") }
        return .user(name, roles: Set(roles))
    }
}
