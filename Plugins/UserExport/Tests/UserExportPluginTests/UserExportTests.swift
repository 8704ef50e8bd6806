import Foundation
import TaskworksTesting
import Testing
import UserExportPlugin

@testable import Taskworks

/// A directory backed by an array, with an optional gate that holds every page after the first.
struct ListedUsers: UserDirectory {
    let users: [ExportedUser]
    var holdAfterFirstPage: HeldPages?

    func countUsers(matching filter: UserFilter) async throws -> Int {
        users.filter { matches($0, filter) }.count
    }

    func users(matching filter: UserFilter, offset: Int, limit: Int) async throws -> [ExportedUser] {
        if offset > 0, let holdAfterFirstPage { try await holdAfterFirstPage.wait() }
        return Array(users.filter { matches($0, filter) }.dropFirst(offset).prefix(limit))
    }

    private func matches(_ user: ExportedUser, _ filter: UserFilter) -> Bool {
        if let status = filter.status, user.status != status { return false }
        guard let keywords = filter.keywords?.lowercased(), !keywords.isEmpty else { return true }
        return [user.username, user.email, user.fullName].contains { $0.lowercased().contains(keywords) }
    }
}

/// Blocks page requests until cancelled (or for at most a minute, then throws); tells the test
/// when the first one is waiting.
final class HeldPages: Sendable {
    /// Never opened: a page request waits on it until cancelled or the minute is up.
    private let release = Latch<Void>()
    private let reached = LockedState(false)

    func wait() async throws {
        reached.withLock { $0 = true }
        _ = await release.wait(timeout: .seconds(60), on: SystemTaskClock())
        try Task.checkCancellation()
        throw DeadlineExceeded(what: "the held page to be released by a cancel", timeout: .seconds(60))
    }

    var isWaiting: Bool { reached.withLock { $0 } }
}

struct ExportHarness {
    let service: TaskService
    let artifacts: LocalDirectoryArtifactStore
    let pool: WorkerPool

    init(_ directory: any UserDirectory, pageSize: Int = 100) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "user-export-\(UUID().uuidString)")
        artifacts = try LocalDirectoryArtifactStore(directory: root.path)
        let registry = TaskRegistry()
        let clock = FixedClock(Date(timeIntervalSince1970: 1_764_065_700))
        try registry.install(UserExportPlugin(directory: directory, pageSize: pageSize, clock: clock))
        service = TaskService(store: InMemoryTaskStore(), registry: registry, artifacts: artifacts)
        var configuration = WorkerPool.Configuration(concurrency: 2)
        configuration.pollInterval = .seconds(3600)
        pool = WorkerPool(service: service, configuration: configuration)
    }

    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withRunningPool(pool, body)
    }

    func finished(_ id: TaskID) async throws -> TaskRecord {
        try await eventually("export \(id) to finish") {
            try await service.task(id, as: .system).status.isTerminal
        }
        return try await service.task(id, as: .system)
    }

    func csv(of id: TaskID, as caller: Caller) async throws -> String {
        var bytes: [UInt8] = []
        for try await chunk in try await service.openArtifact(of: id, as: caller).bytes { bytes += chunk }
        return String(decoding: bytes, as: UTF8.self)
    }

    var artifactFiles: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: artifacts.directory)) ?? []
    }
}

struct FixedClock: TaskClock {
    let date: Date
    init(_ date: Date) { self.date = date }
    func now() -> Date { date }
}

@Suite("User export")
struct UserExportTests {
    static let tricky: [ExportedUser] = [
        UserCSVTests.user(fullName: "Torvalds, Jr.", phone: "+1 555 0100", roles: ["admin", "editor"]),
        ExportedUser(
            username: "=cmd|' /C calc'!A0", email: "x@example.com", fullName: "\"Ace\"\nSmith",
            status: .locked,
            source: "import", roles: [], mfaEnabled: false,
            lastLogin: Date(timeIntervalSince1970: 1_764_000_000), createdAt: Date(timeIntervalSince1970: 0)),
    ]

    /// The runner on its own, with the test kit: no pool, no store.
    @Test func theRunnerAloneWritesItsFileAndReportsProgressToTheEnd() async throws {
        let registry = TaskRegistry()
        try registry.install(
            UserExportPlugin(directory: ListedUsers(users: UserExportTests.tricky), pageSize: 1))
        let artifacts = try LocalDirectoryArtifactStore(
            directory: FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID())").path)
        let outcome = try await RunnerTest.run(
            type: UserExportPlugin.taskType, payload: UserExportRequest(), registeredIn: registry,
            artifacts: artifacts)
        #expect(outcome.status == .succeeded)
        #expect(try outcome.result(as: UserExportResult.self)?.rows == 2)
        #expect(outcome.progressReports.last == 100)
        #expect(outcome.artifact?.contentType == "text/csv; charset=utf-8")
    }

    @Test func anExportWritesTheExactCSVAndReturnsRowsAndFileName() async throws {
        let harness = try ExportHarness(ListedUsers(users: UserExportTests.tricky), pageSize: 1)
        try await harness.run {
            let task = try await harness.service.create(UserExportPlugin.taskType, createdBy: .user("alice"))
            let done = try await harness.finished(task.id)
            #expect(done.status == .succeeded)
            #expect(done.progress == 100)
            let result = try #require(try done.result?.decode(UserExportResult.self))
            #expect(result == UserExportResult(rows: 2, fileName: "users_export_20251125_101500.csv"))
            #expect(done.artifact?.fileName == "users_export_20251125_101500.csv")
            #expect(done.artifact?.contentType == "text/csv; charset=utf-8")
            let expected =
                "Username,Email,Full Name,Phone,Status,Source,Roles,MFA Enabled,Last Login,Created At\r\n"
                + "ada,ada@example.com,\"Torvalds, Jr.\",'+1 555 0100,active,sso,admin; editor,true,,2025-11-25T10:15:00Z\r\n"
                + "'=cmd|' /C calc'!A0,x@example.com,\"\"\"Ace\"\"\nSmith\",,locked,import,,false,"
                + "2025-11-24T16:00:00Z,1970-01-01T00:00:00Z\r\n"
            #expect(try await harness.csv(of: task.id, as: .user("alice")) == expected)
            await #expect(throws: TaskworksError.taskNotFound(task.id)) {
                _ = try await harness.service.openArtifact(of: task.id, as: .user("bob"))
            }
        }
    }

    @Test(arguments: [
        (0, UserExportRequest()), (3, UserExportRequest(keywords: "nobody-matches-this")),
        (3, UserExportRequest(status: .invited)),
    ])
    func emptyExportsHaveOnlyTheHeader(userCount: Int, request: UserExportRequest) async throws {
        let users = Array(UserExportTests.tricky.prefix(userCount > 0 ? 2 : 0))
        let harness = try ExportHarness(ListedUsers(users: users))
        try await harness.run {
            let task = try await harness.service.create(
                UserExportPlugin.taskType, payload: request, createdBy: .user("alice"))
            let done = try await harness.finished(task.id)
            #expect(try done.result?.decode(UserExportResult.self).rows == 0)
            #expect(
                try await harness.csv(of: task.id, as: .user("alice"))
                    == String(decoding: UserCSV.headerLine, as: UTF8.self))
        }
    }

    @Test func cancellingMidExportLeavesNoFileAndEndsCancelled() async throws {
        let held = HeldPages()
        let directory = ListedUsers(
            users: (0..<500).map { SampleUserDirectory(count: 500).user(at: $0) }, holdAfterFirstPage: held)
        let harness = try ExportHarness(directory, pageSize: 100)
        try await harness.run {
            let task = try await harness.service.create(UserExportPlugin.taskType, createdBy: .user("alice"))
            try await eventually("the export to wait for its second page") { held.isWaiting }
            #expect(harness.artifactFiles.count == 1)  // the .partial file being written
            try await harness.service.cancel(task.id, as: .user("alice"))
            let done = try await harness.finished(task.id)
            #expect(done.status == .cancelled)
            #expect(done.artifact == nil)
            #expect(harness.artifactFiles.isEmpty)
        }
    }

    @Test(arguments: [
        ("{\"status\":\"deleted\"}", "is not one of active, invited, locked, disabled"),
        ("{\"status\":3}", "must be one of"),
        ("{\"keywords\":5}", "must be a string"),
        ("{\"keywords\":\"\(String(repeating: "x", count: 201))\"}", "at most 200 characters"),
        ("{\"keywords\":\"line\\nbreak\"}", "at most 200 characters on one line"),
        ("{\"extra\":1}", "does not know the payload field \"extra\""),
        ("[1,2]", "is an object"),
        ("\"text\"", "is an object"),
    ])
    func badPayloadsAreRefusedAtCreate(json: String, message: String) async throws {
        let harness = try ExportHarness(ListedUsers(users: []))
        let payload = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        let error = await #expect(throws: TaskworksError.self) {
            try await harness.service.create(
                UserExportPlugin.taskType, payload: payload, createdBy: .user("alice"))
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        #expect(try await harness.service.counts(for: .system).total == 0)
    }

    @Test(arguments: ["{}", "null", "{\"keywords\":\"smith\"}", "{\"status\":\"active\",\"keywords\":\"\"}"])
    func goodPayloadsAreAccepted(json: String) async throws {
        let harness = try ExportHarness(ListedUsers(users: []))
        let payload = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        let task = try await harness.service.create(
            UserExportPlugin.taskType, payload: payload, createdBy: .user("alice"))
        #expect(task.status == .pending)
    }
}
