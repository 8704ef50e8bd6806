import Foundation
import Testing

@testable import Taskworks

#if canImport(Glibc)
    import Glibc
#endif

/// Kills a child process at every write, rename, fsync, truncate, unlink and mkdir it makes while
/// it opens a new store, creates, claims, finishes, compacts (on every write) and removes tasks,
/// using `strace`'s fault injection. After each kill the store must open, and every write the
/// child acknowledged must be there. `.ci/run` installs strace; without it the test says so.
@Suite("File store kill points", .serialized)
struct FileStoreKillPointTests {
    static let systemCalls = ["write", "rename", "fdatasync", "fsync", "ftruncate", "unlink", "mkdir"]
    static let strace = ["/usr/bin/strace", "/bin/strace"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// What the child logged before it died.
    struct Acknowledged {
        var opened = false
        var created: [TaskID] = []
        var claimed: [(TaskID, UInt64)] = []
        var finished: [(TaskID, UInt64)] = []
        var removed: Set<TaskID> = []
        /// Tasks whose removal had begun: after a kill, each may be there or gone.
        var removing: Set<TaskID> = []

        init(_ lines: [[Substring]]) {
            for words in lines {
                let id = words.count > 1 ? try? TaskID(parsing: String(words[1])) : nil
                let version = words.count > 2 ? UInt64(words[2]) : nil
                switch (words.first, id, version) {
                case ("opened", _, _): opened = true
                case ("ack", let id?, _): created.append(id)
                case ("claim", let id?, let version?): claimed.append((id, version))
                case ("finish", let id?, let version?): finished.append((id, version))
                case ("removing", let id?, _): removing.insert(id)
                case ("removed", let id?, _): removed.insert(id)
                default: continue
                }
            }
        }
    }

    /// Runs the child under strace, killed at the `count`-th call of `systemCall`; returns
    /// whether it was killed (`false`: it finished first, so there are no more kill points).
    private func runKilled(
        at systemCall: String, count: Int, mode: String = "steps", directory: URL, log: URL
    ) async throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(FileStoreKillPointTests.strace))
        process.arguments = [
            "-f", "-qq", "-o", "/dev/null", "-e", "trace=\(systemCall)",
            "-e", "inject=\(systemCall):signal=KILL:when=\(count)",
            try ChildProcess.builtExecutable("TaskworksStoreHelper"), mode, directory.path, log.path,
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        _ = try await ChildProcess(process: process).wait(timeout: .seconds(60))
        if process.terminationStatus == 0 { return false }
        #expect(
            process.terminationStatus == 128 + SIGKILL || process.terminationReason == .uncaughtSignal,
            "the child died of something else than the injected kill: status \(process.terminationStatus)")
        return true
    }

    /// Opens what the killed child left and checks every acknowledged write is there.
    private func verify(_ directory: URL, _ acknowledged: Acknowledged, point: String) async throws {
        var options = FileTaskStore.Options(createDirectory: !acknowledged.opened)
        options.warningHandler = { _ in }
        let store: FileTaskStore
        do {
            store = try await FileTaskStore(directory: directory.path, options: options)
        } catch {
            Issue.record("killed at \(point): the store does not open: \(error)")
            return
        }
        defer { Task { await store.close() } }
        // A task whose removal began but was not acknowledged may be gone; if it is there, it must be
        // whole.
        var mayBeGone = acknowledged.removed
        for id in acknowledged.removing where try await store.task(id: id) == nil {
            mayBeGone.insert(id)
        }
        for id in acknowledged.created where !mayBeGone.contains(id) {
            #expect(try await store.task(id: id) != nil, "killed at \(point): acknowledged create \(id) lost")
        }
        for (id, version) in acknowledged.claimed + acknowledged.finished
        where !mayBeGone.contains(id) {
            let task = try await store.task(id: id)
            #expect(
                (task?.version ?? 0) >= version,
                "killed at \(point): acknowledged write \(id) v\(version) lost")
        }
        for (id, _) in acknowledged.finished where !mayBeGone.contains(id) {
            #expect(
                try await store.task(id: id)?.status == .succeeded, "killed at \(point): finish of \(id) lost"
            )
        }
        for id in acknowledged.removed {
            #expect(try await store.task(id: id) == nil, "killed at \(point): removed task \(id) came back")
        }
    }

    @Test(arguments: systemCalls)
    func everyKillPointLeavesAStoreThatOpensWithEveryAcknowledgedWrite(systemCall: String) async throws {
        guard FileStoreKillPointTests.strace != nil else {
            Issue.record("strace is not installed (apt-get install strace); .ci/run installs it")
            return
        }
        var killPoints = 0
        for count in 1...2_000 {
            let root = try TemporaryDirectory.make()
            let directory = root.appendingPathComponent("store")
            let log = root.appendingPathComponent("log")
            guard try await runKilled(at: systemCall, count: count, directory: directory, log: log) else {
                break
            }
            killPoints += 1
            let acknowledged = Acknowledged(readLog(log))
            try await verify(directory, acknowledged, point: "\(systemCall) #\(count)")
            try? FileManager.default.removeItem(at: root)
        }
        print("kill points covered for \(systemCall): \(killPoints)")
        if ["write", "rename", "fdatasync", "unlink"].contains(systemCall) {
            #expect(killPoints > 0, "the child never called \(systemCall): the test covers nothing")
        }
    }

    @Test(arguments: ["write", "rename", "fdatasync", "unlink"])
    func everyKillPointOfAVersionOneUpgradeLeavesEveryTask(systemCall: String) async throws {
        guard FileStoreKillPointTests.strace != nil else {
            Issue.record("strace is not installed (apt-get install strace); .ci/run installs it")
            return
        }
        let (snapshot, journal) = VersionOneStore.sample()
        var killPoints = 0
        for count in 1...2_000 {
            let root = try TemporaryDirectory.make()
            let directory = root.appendingPathComponent("store")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
            let expected = try VersionOneStore.write(
                to: directory, snapshotTasks: snapshot, journalTasks: journal)
            let log = root.appendingPathComponent("log")
            guard
                try await runKilled(
                    at: systemCall, count: count, mode: "open", directory: directory, log: log)
            else { break }
            killPoints += 1
            var options = FileTaskStore.Options()
            options.warningHandler = { _ in }
            do {
                let store = try await FileTaskStore(directory: directory.path, options: options)
                for (id, task) in expected {
                    #expect(
                        try await store.task(id: id) == task, "killed at \(systemCall) #\(count): task \(id)")
                }
                await store.close()
            } catch {
                Issue.record(
                    "killed at \(systemCall) #\(count) of the upgrade: the store does not open: \(error)")
            }
            try? FileManager.default.removeItem(at: root)
        }
        print("upgrade kill points covered for \(systemCall): \(killPoints)")
        #expect(killPoints > 0, "the upgrade never called \(systemCall): the test covers nothing")
    }
}
