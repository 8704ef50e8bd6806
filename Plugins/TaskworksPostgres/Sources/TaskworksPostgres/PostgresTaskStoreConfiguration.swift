#if Postgres
    import Foundation
    import Logging
    import Taskworks

    extension PostgresTaskStore {
        /// Where the database is and how the store uses it.
        ///
        /// ```swift
        /// var configuration = try PostgresTaskStore.Configuration(url: "postgres://app:secret@db:5432/app")
        /// configuration.maximumConnections = 20
        /// let store = try await PostgresTaskStore(configuration: configuration)
        /// ```
        public struct Configuration: Sendable {
            /// The server's host name or address.
            public var host: String
            /// The server's port.
            public var port: Int
            /// The role to connect as.
            public var username: String
            /// The role's password, if the server asks for one.
            public var password: String?
            /// The database; the server's default (the user name) when `nil`.
            public var database: String?
            /// Whether to insist on TLS (`sslmode=require` in a URL). Off by default: most servers
            /// on a private network or loopback speak plain TCP.
            public var requireTLS: Bool
            /// The schema the store's tables live in; created if missing. Give each queue (or each
            /// test) its own schema to keep them apart. Letters, digits and `_`, at most 48 bytes.
            public var schema: String
            /// The most connections the store's pool opens. Size it to the work this process does at
            /// once: a pool's worker loops plus the host's own requests; one more is taken for
            /// LISTEN while a worker pool runs.
            public var maximumConnections: Int
            /// How often a statement whose connection broke is tried in all before its error is
            /// thrown. The store waits 50 ms, 100 ms, 200 ms… (at most 2 s) between tries.
            public var connectionAttempts: Int
            /// How long one try of a statement may take before it is abandoned and tried again on
            /// another connection (a connection the server dropped can leave a statement unanswered).
            /// More than zero, at most 24 hours; default 5 s. Keep it well below the worker pools'
            /// `leaseDuration` (30 s by default): a lease renewal stuck for longer than the lease lets
            /// another host take the task. Raise both together for a server that answers slowly.
            public var statementTimeout: Duration
            /// The `application_name` the store's connections show in `pg_stat_activity`.
            public var applicationName: String
            /// Whether the store prepares its most-run statements (claims, outcome writes, creates)
            /// once per connection and runs them by name, so the server neither parses nor plans them
            /// again. On by default. Turn it off behind a connection pooler in transaction mode that
            /// does not keep prepared statements (PgBouncer before 1.21, or with
            /// `max_prepared_statements = 0`): every statement is then sent whole each time.
            public var preparesStatements: Bool
            /// Whether the store keeps the connections it opened for its life (a day without a
            /// statement at the most), sending no keep-alive queries. On by default: the PostgreSQL
            /// client otherwise closes a connection idle for 60 s and pings idle ones every 30 s.
            /// Connections are opened as statements need them, never all up front: the client's pool
            /// stops the process if its open connections fall below a minimum while a statement asks
            /// for one, which a server restart does. Turn it off behind a NAT or firewall that drops
            /// idle TCP connections: idle connections are then closed after 60 s and, until then,
            /// sent `SELECT 1` every 30 s (postgres-nio's defaults). With it on, a connection dropped
            /// while idle shows at its next statement, which fails or times out
            /// (``statementTimeout``) and is tried again on another.
            public var keepsConnectionsOpen: Bool
            /// Where the store reports retried connection failures and lost LISTEN connections, as
            /// `warning` diagnostics with `store.schema`. Default `TaskDiagnostics.standardError`;
            /// give it the sink you give the service.
            public var diagnostics: TaskDiagnostics
            /// Receives each report's text instead of ``diagnostics``, when set. Default `nil`.
            public var logHandler: (@Sendable (String) -> Void)?
            /// When the schema is created and migrated: ``MigrationPolicy/onOpen`` (the default) or
            /// ``MigrationPolicy/manual``, for a host whose own migration tool applies
            /// ``PostgresTaskStore/migrationSQL(schema:after:)`` or which calls
            /// ``PostgresTaskStore/migrate(client:configuration:)`` itself.
            public var migrations: MigrationPolicy
            /// The swift-log `Logger` the PostgreSQL client logs to: its connection pool's background
            /// messages and each statement's (postgres-nio logs at `debug` and `trace`, errors at
            /// `error`). Default: a logger that drops everything. Give it your app's logger, e.g.
            /// `app.logger` in Vapor or the one Hummingbird's application uses.
            public var logger: Logger

            /// Where a report goes: ``logHandler`` when set, else ``diagnostics``.
            var report: @Sendable (String) -> Void {
                if let logHandler { return logHandler }
                let diagnostics = self.diagnostics
                let schema = self.schema
                return { message in
                    diagnostics.emit(
                        .warning, message, metadata: ["component": "postgres-store", "store.schema": schema])
                }
            }

            /// A configuration from its parts.
            public init(
                host: String, port: Int = 5432, username: String, password: String? = nil,
                database: String? = nil
            ) {
                self.host = host
                self.port = port
                self.username = username
                self.password = password
                self.database = database
                self.requireTLS = false
                self.schema = "taskworks"
                self.maximumConnections = 10
                self.connectionAttempts = 6
                self.applicationName = "taskworks"
                self.preparesStatements = true
                self.keepsConnectionsOpen = true
                self.statementTimeout = .seconds(5)
                self.migrations = .onOpen
                self.diagnostics = .standardError
                self.logHandler = nil
                self.logger = Logger(label: "taskworks.postgres") { _ in SwiftLogNoOpLogHandler() }
            }

            /// A configuration from a `postgres://user:password@host:port/database` URL (also
            /// `postgresql://`). Query items: `sslmode=require` asks for TLS, `schema=NAME` picks the
            /// schema; other query items are refused, so a typo never goes unnoticed.
            ///
            /// - Throws: `TaskworksError.Code.invalidInput` saying what is wrong with the URL.
            public init(url text: String) throws {
                guard let components = URLComponents(string: text),
                    let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme.lowercased())
                else {
                    throw TaskworksError.invalidInput(
                        "'\(PostgresTaskStore.redacted(text))' is not a PostgreSQL URL; "
                            + "write postgres://user:password@host:5432/database")
                }
                guard let host = components.host, !host.isEmpty else {
                    throw TaskworksError.invalidInput(
                        "the PostgreSQL URL names no host; write postgres://user@host/db")
                }
                guard let user = components.user, !user.isEmpty else {
                    throw TaskworksError.invalidInput(
                        "the PostgreSQL URL names no user; write postgres://user@host/db")
                }
                self.init(
                    host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
                    password: components.password.map { $0.removingPercentEncoding ?? $0 })
                let path =
                    components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
                database = path.isEmpty ? nil : path
                for item in components.queryItems ?? [] {
                    switch (item.name, item.value ?? "") {
                    case ("sslmode", "require"), ("sslmode", "verify-full"): requireTLS = true
                    case ("sslmode", "disable"), ("sslmode", "prefer"), ("sslmode", "allow"):
                        requireTLS = false
                    case ("schema", let name): schema = name
                    default:
                        throw TaskworksError.invalidInput(
                            "the PostgreSQL URL has an unsupported option '\(item.name)'; "
                                + "supported: sslmode=disable|prefer|require, schema=NAME")
                    }
                }
                try validate()
            }

            /// Checks the values a URL or caller gave.
            ///
            /// - Throws: `TaskworksError.Code.invalidInput` naming the bad value.
            public func validate() throws {
                guard (1...65_535).contains(port) else {
                    throw TaskworksError.invalidInput("port must be 1–65535; got \(port)")
                }
                try Configuration.validate(schema: schema)
                guard (1...1_000).contains(maximumConnections) else {
                    throw TaskworksError.invalidInput(
                        "maximumConnections must be 1–1000; got \(maximumConnections)")
                }
                guard (1...100).contains(connectionAttempts) else {
                    throw TaskworksError.invalidInput(
                        "connectionAttempts must be 1–100; got \(connectionAttempts)")
                }
                guard statementTimeout > .zero, statementTimeout <= .seconds(86_400) else {
                    throw TaskworksError.invalidInput(
                        "statementTimeout must be more than zero and at most 24 hours; got \(statementTimeout)"
                    )
                }
            }

            /// Checks a schema name: lowercase letters, digits and `_`, starting with a letter or
            /// `_`, at most 48 bytes (it is written into SQL as is).
            ///
            /// - Throws: `TaskworksError.Code.invalidInput` naming the schema.
            static func validate(schema: String) throws {
                guard
                    let first = schema.unicodeScalars.first, first == "_" || ("a"..."z").contains(first),
                    schema.utf8.count <= 48,
                    schema.unicodeScalars.allSatisfy({
                        $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0)
                    })
                else {
                    throw TaskworksError.invalidInput(
                        "schema '\(schema.prefix(60))' is not usable: give lowercase letters, digits and _ "
                            + "(starting with a letter or _), at most 48 bytes")
                }
            }
        }

        /// `text` with any password replaced by `***`, for error messages and logs.
        static func redacted(_ text: String) -> String {
            guard var components = URLComponents(string: text), components.password != nil else {
                return text
            }
            components.password = "***"
            return components.string ?? "(unprintable URL)"
        }
    }
#endif  // Postgres
