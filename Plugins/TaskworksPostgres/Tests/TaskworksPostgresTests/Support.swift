#if Postgres
    import Foundation
    import Logging
    import PostgresNIO
    import TaskworksTesting
    import Testing

    #if canImport(Glibc)
        import Glibc
    #endif

    /// A plain PostgresNIO client for what the tests do behind the store's back (terminating its
    /// connections, faking a newer schema).
    func withAdminClient<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        let configuration = try TestDatabase.configuration()
        let client = PostgresClient(
            configuration: PostgresClient.Configuration(
                host: configuration.host, port: configuration.port, username: configuration.username,
                password: configuration.password, database: configuration.database, tls: .disable))
        let running = Task { await client.run() }
        defer { running.cancel() }
        return try await body(client)
    }

    let silentLogger = Logger(label: "taskworks.tests") { _ in SwiftLogNoOpLogHandler() }

    /// The `taskworks-postgres-bench` executable built next to the test binary.
    func benchExecutable() throws -> String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        let path = directory.appendingPathComponent("taskworks-postgres-bench").path
        try #require(
            FileManager.default.isExecutableFile(atPath: path),
            "build it first: swift build --build-tests (\(path))")
        return path
    }

    /// A worker process (`taskworks-postgres-bench worker`) on `schema`, logging runs to `log`.
    func startWorker(
        schema: String, log: String, concurrency: Int = 4, leaseMilliseconds: Int, exitAfter: Int
    )
        throws -> Process
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try benchExecutable())
        process.arguments = [
            "worker", "--url", try #require(TestDatabase.url), "--schema", schema, "--log", log,
            "--concurrency", String(concurrency), "--connections", "6", "--lease-ms",
            String(leaseMilliseconds),
            "--exit-after", String(exitAfter),
        ]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The "run ID PID" lines of a worker log.
    func runs(in log: String) -> [(id: Substring, pid: Substring)] {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            return words.count == 3 && words[0] == "run" ? (words[1], words[2]) : nil
        }
    }

    /// Waits for `process` to exit (polling, with a deadline) and returns its status.
    func waitForExit(_ process: Process, timeout: Duration = .seconds(120)) async throws -> Int32 {
        try await eventually("worker \(process.processIdentifier) to exit", timeout: timeout) {
            !process.isRunning
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
#endif  // Postgres
