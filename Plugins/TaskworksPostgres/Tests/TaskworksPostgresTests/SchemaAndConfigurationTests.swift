import Foundation
import PostgresNIO
import Taskworks
import Testing

@testable import TaskworksPostgres

@Suite("PostgreSQL: configuration")
struct ConfigurationTests {
    @Test func aFullURLIsRead() throws {
        let configuration = try PostgresTaskStore.Configuration(
            url: "postgresql://app%40corp:s%3Acret@db.internal:6543/jobs?sslmode=require&schema=queue_1")
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "app@corp")
        #expect(configuration.password == "s:cret")
        #expect(configuration.database == "jobs")
        #expect(configuration.requireTLS)
        #expect(configuration.schema == "queue_1")
    }

    @Test(arguments: [
        ("mysql://app@db/jobs", "not a PostgreSQL URL"),
        ("postgres:///jobs", "names no host"),
        ("postgres://db/jobs", "names no user"),
        ("postgres://app@db/jobs?pool=3", "unsupported option 'pool'"),
        ("postgres://app@db/jobs?schema=Robert'); DROP TABLE tasks;--", "is not usable"),
        ("postgres://app@db/jobs?schema=1abc", "is not usable"),
        ("postgres://app:secret@db:0/jobs", "port must be"),
    ])
    func badURLsAreRefusedWithWhatToDo(url: String, expected: String) {
        do {
            _ = try PostgresTaskStore.Configuration(url: url)
            Issue.record("accepted \(url)")
        } catch let error as TaskworksError {
            #expect(error.code == .invalidInput)
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(!error.message.contains("secret"), "the password leaked into the message")
        } catch {
            Issue.record("untyped error \(error)")
        }
    }

    @Test func anUnreachableServerIsATypedErrorNotAHang() async throws {
        let port = try #require(freeLoopbackPort())
        var configuration = PostgresTaskStore.Configuration(host: "127.0.0.1", port: port, username: "nobody")
        configuration.connectionAttempts = 1
        let started = ContinuousClock.now
        do {
            _ = try await PostgresTaskStore(configuration: configuration)
            Issue.record("opened a store on a closed port")
        } catch let error as TaskworksError {
            #expect(error.code == .storageFailure)
            #expect(error.message.contains("127.0.0.1:\(port)"), "\(error.message)")
        }
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}

/// A loopback port nothing listens on (bound, then closed).
func freeLoopbackPort() -> Int? {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { return nil }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
        }
    }
    return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
}

@Suite("PostgreSQL: schema", .enabled(if: postgresIsConfigured, Comment(rawValue: TestDatabase.howToRun)))
struct SchemaTests {
    @Test func migrationsRunOnceAndANewerSchemaIsRefusedWithoutWriting() async throws {
        let configuration = try TestDatabase.configuration()
        let first = try await PostgresTaskStore(configuration: configuration)
        #expect(first.appliedMigrations == [1, 2, 3, 4, 5, 6])
        let task = try await first.insert(TaskRecord(type: "job", createdBy: "alice", createdAt: Date()))
        let second = try await PostgresTaskStore(configuration: configuration)
        #expect(second.appliedMigrations.isEmpty, "re-running the migrations is a no-op")
        await second.close()

        try await withAdminClient { admin in
            let sql =
                "INSERT INTO \(configuration.schema).taskworks_migrations (version, description) VALUES (99, 'future')"
            _ = try await admin.query(PostgresQuery(unsafeSQL: sql), logger: silentLogger).collect()
        }
        do {
            _ = try await PostgresTaskStore(configuration: configuration)
            Issue.record("opened a schema newer than the code")
        } catch let error as TaskworksError {
            #expect(error.code == .corruptStore)
            #expect(error.message.contains("migration 99"), "\(error.message)")
        }
        #expect(try await first.task(id: task.id) == task, "nothing stored was touched")
        try await first.dropSchema()
        await first.close()
    }

    /// Schema 1 kept each schedule's tick as a hidden task; migration 2 moves it into the
    /// schedule table and removes the task, leaving a host task of the same type name alone.
    @Test func hiddenScheduleTasksBecomeScheduleState() async throws {
        let configuration = try TestDatabase.configuration()
        let tick = Date(timeIntervalSinceReferenceDate: 820_000_000.125)
        var marker = TaskRecord(
            type: "taskworks.schedule", createdBy: "system", maxRetries: 0, createdAt: Date())
        marker.status = .succeeded
        marker.deletedAt = marker.createdAt
        marker.payload = .object(["schedule": .string("nightly")])
        marker.result = .double(tick.timeIntervalSinceReferenceDate)
        var lookalike = TaskRecord(type: "taskworks.schedule", createdBy: "alice", createdAt: Date())
        lookalike.payload = .object(["schedule": .string("nightly")])
        try await withAdminClient { admin in
            _ = try await PostgresSchema.migrate(
                admin, schema: configuration.schema, logger: silentLogger, upTo: 1)
            // Schema 1 plus migration 5's column, so the rows are written with today's column list
            // (migration 5 adds it only if it is missing).
            _ = try await admin.query(
                PostgresQuery(
                    unsafeSQL: "ALTER TABLE \(configuration.schema).tasks ADD COLUMN metadata text"),
                logger: silentLogger
            ).collect()
            try await insertWithLegacyColumns(
                [marker, lookalike], schema: configuration.schema, admin: admin)
        }
        let store = try await PostgresTaskStore(configuration: configuration)
        #expect(store.appliedMigrations == [2, 3, 4, 5, 6])
        #expect(try await store.lastScheduleTick("nightly") == tick)
        #expect(try await store.task(id: marker.id) == nil)
        #expect(try await store.task(id: lookalike.id)?.createdBy == "alice")
        #expect(!(try await store.claimScheduleTick("nightly", tick: tick)))
        try await store.dropSchema()
        await store.close()
    }

    @Test func theClaimIsAnIndexScan() async throws {
        let configuration = try TestDatabase.configuration()
        let store = try await PostgresTaskStore(configuration: configuration)
        for index in 0..<2_000 {
            var task = TaskRecord(type: "job", priority: index % 10, createdBy: "alice", createdAt: Date())
            if index % 2 == 0 { task.status = .succeeded }
            _ = try await store.insert(task)
        }
        let plan = try await withAdminClient { admin in
            _ = try await admin.query(
                PostgresQuery(unsafeSQL: "ANALYZE \(configuration.schema).tasks"), logger: silentLogger
            ).collect()
            return try await admin.query(
                PostgresQuery(
                    unsafeSQL: """
                        EXPLAIN SELECT id FROM \(configuration.schema).tasks
                        WHERE status = 'pending' AND deleted_at_seconds IS NULL AND run_after_seconds <= 1e12
                        ORDER BY priority DESC, created_at_seconds, seq LIMIT 10 FOR UPDATE SKIP LOCKED
                        """), logger: silentLogger
            ).collect().map { try $0.decode(String.self) }
        }
        #expect(
            plan.contains { $0.contains("Index Scan using tasks_claim") }, "\(plan.joined(separator: "\n"))")
        try await store.dropSchema()
        await store.close()
    }
}
