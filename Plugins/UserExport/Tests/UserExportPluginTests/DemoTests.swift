import Foundation
import TaskworksTesting
import Testing

/// Runs the `taskworks-demo` executable as a user would and checks what it prints and writes.
@Suite("taskworks-demo", .serialized)
struct DemoTests {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String]) async throws -> Output {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "demo-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let out = scratch.appendingPathComponent("stdout")
        let err = scratch.appendingPathComponent("stderr")
        try Data().write(to: out)
        try Data().write(to: err)
        let process = Process()
        process.executableURL = directory.appendingPathComponent("taskworks-demo")
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        do {
            try await eventually("taskworks-demo to exit", timeout: .seconds(300)) { !process.isRunning }
        } catch {
            process.terminate()
            throw error
        }
        return Output(
            status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
            stderr: try String(contentsOf: err, encoding: .utf8))
    }

    static func freshDataDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("demo-data-\(UUID().uuidString)").path
    }

    @Test func theDemoExportsListsVisibilityAndPersists() async throws {
        let data = DemoTests.freshDataDirectory()
        let first = try await DemoTests.run(["--data-dir", data, "--users", "200"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("bob asks for alice's export → taskNotFound"))
        #expect(first.stdout.contains("including both of this run's: yes"))
        #expect(first.stdout.contains("callback: alice's export succeeded with 200 rows"))
        #expect(first.stdout.contains("callback: bob's export succeeded with 50 rows"))
        let exported = first.stdout.split(separator: "\n").filter { $0.hasPrefix("exported ") }
        #expect(exported.count == 2)
        for line in exported {
            let parts = line.split(separator: " ", maxSplits: 4)
            let rows = try #require(Int(parts[1]))
            let path = String(parts[4])
            #expect(path.hasSuffix(".csv"))
            let csv = try String(contentsOfFile: path, encoding: .utf8)
            let lines = csv.split(separator: "\r\n", omittingEmptySubsequences: true)
            #expect(
                lines.first
                    == "Username,Email,Full Name,Phone,Status,Source,Roles,MFA Enabled,Last Login,Created At")
            #expect(lines.count == rows + 1)
        }
        let second = try await DemoTests.run(["--data-dir", data, "--users", "10"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("2 tasks from earlier runs are still listed"))
    }

    @Test(arguments: [
        (["--users", "-1"], "--users must be a whole number"),
        (["--users"], "--users needs a value"),
        (["--bogus"], "unknown flag '--bogus'"),
        (["--store", "redis"], "--store must be file or memory"),
    ])
    func badFlagsFailWithAClearMessage(arguments: [String], message: String) async throws {
        let output = try await DemoTests.run(["--data-dir", DemoTests.freshDataDirectory()] + arguments)
        #expect(output.status == 2)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    @Test func anUnusableDataDirectoryIsAClearError() async throws {
        let file = DemoTests.freshDataDirectory()
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: file))
        let output = try await DemoTests.run(["--data-dir", file, "--users", "5"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("cannot use --data-dir"), "\(output.stderr)")
    }

    @Test func helpExplainsEveryFlag() async throws {
        let output = try await DemoTests.run(["--help"])
        #expect(output.status == 0)
        for flag in ["--store", "--data-dir", "--users", "--report-memory", "--help"] {
            #expect(output.stdout.contains(flag))
        }
    }

    /// Ten times the users must not cost ten times the memory: the export streams page by page.
    @Test func memoryStaysFlatAsTheExportGrows() async throws {
        func peakKilobytes(users: Int) async throws -> Int {
            let output = try await DemoTests.run([
                "--store", "memory", "--data-dir", DemoTests.freshDataDirectory(), "--users", "\(users)",
                "--report-memory",
            ])
            #expect(output.status == 0, "\(output.stderr)")
            let line = try #require(
                output.stdout.split(separator: "\n").first { $0.hasPrefix("peak memory:") })
            return try #require(Int(line.split(separator: " ")[2]))
        }
        let small = try await peakKilobytes(users: 15_000)
        let large = try await peakKilobytes(users: 150_000)
        // The large export's CSV is ≈ 19 MB; holding it in memory would show up here.
        #expect(large - small < 12_000, "peak \(small) kB for 15k users, \(large) kB for 150k users")
    }
}
