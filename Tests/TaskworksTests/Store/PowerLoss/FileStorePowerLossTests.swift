import Foundation
import Testing

@testable import Taskworks

#if canImport(Glibc)
    import Glibc
#endif

/// Cuts the power at every point of a recorded run of the file store, and again during the
/// recovery open. A child process makes every kind of store write (creates, claims, outcomes,
/// schedule ticks, pauses, settings, retention removals, several compactions) under `strace`,
/// which records each `write`, `fsync`, `rename`, `unlink`, `mkdir` and `ftruncate` it makes and
/// each line it logs once a write was acknowledged. ``CrashStates`` replays the recording into
/// the trees a machine that lost its power could leave: unsynced writes lost, kept, torn, zeroed
/// or zeroed around later ones; unsynced directory entries lost; files reordered against each
/// other. Every tree must open, with every acknowledged write (`.synchronous`), or every write an
/// `fsync` followed (`.batched`). Where the recovery open changed files, that open is recorded too
/// and cut at every point. `.ci/run` installs strace.
@Suite("File store power loss", .serialized)
struct FileStorePowerLossTests {
    static let systemCalls =
        "openat,open,creat,write,writev,pwrite64,ftruncate,fsync,fdatasync,rename,renameat,renameat2,"
        + "unlink,unlinkat,mkdir,mkdirat,rmdir,dup,dup2,dup3,fcntl,close"
    /// Under ThreadSanitizer every byte the store parses and checksums is instrumented, which
    /// makes the whole exploration take minutes of both cores, beside suites that wait with
    /// deadlines; there it cuts at every `crashPointStride`-th point only and records one
    /// recovery (the plain `swift test` cuts at all of them).
    static let crashPointStride = dlsym(nil, "__tsan_init") == nil ? 1 : 25
    /// Recovery opens recorded and cut per run, at most: those that dropped the most bytes.
    static let recoveryCuts = 24

    /// Runs the store helper under strace; the events it made below `tree`.
    static func record(_ arguments: [String], tree: URL, initial: FileTree, log: URL) async throws
        -> SystemCallTrace
    {
        let traceFile = tree.deletingLastPathComponent().appendingPathComponent("trace-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(FileStoreKillPointTests.strace))
        process.arguments =
            ["-f", "-qq", "-xx", "-s", "16777216", "-o", traceFile.path, "-e", "trace=\(systemCalls)"]
            + [try ChildProcess.builtExecutable("TaskworksStoreHelper")] + arguments
        process.currentDirectoryURL = tree
        process.standardInput = FileHandle.nullDevice
        try process.run()
        _ = try await ChildProcess(process: process).wait(timeout: .seconds(120))
        try #require(process.terminationStatus == 0, "the traced helper failed: \(arguments)")
        var trace = SystemCallTrace(
            root: tree.path, logPath: log.path, files: initial.files, directories: initial.directories)
        try trace.read(String(decoding: try Data(contentsOf: traceFile), as: UTF8.self))
        try? FileManager.default.removeItem(at: traceFile)
        return trace
    }

    /// What one exploration found.
    struct Findings {
        var crashPoints = 0
        var distinctStates = 0
        var checks = 0
        var problems: [String] = []
        /// States whose recovery open dropped bytes, and how many: cut again during that open.
        var changedByRecovery: [(FileTree, PowerLossExpectations, dropped: Int)] = []
    }

    /// Opens every distinct tree a crash after each event can leave and checks `expectations`.
    static func explore(
        _ states: CrashStates, expectations: (Int) -> PowerLossExpectations, workDirectory: URL,
        stopAtFirstProblem: Bool = false
    ) async throws -> Findings {
        var findings = Findings()
        var seen: Set<FileTree> = []
        var checked: Set<String> = []
        for count in stride(from: 0, through: states.events.count, by: crashPointStride) {
            findings.crashPoints += 1
            let expected = expectations(count)
            for choice in states.choices(afterEvents: count) {
                let tree = states.tree(afterEvents: count, choice)
                seen.insert(tree)
                guard
                    checked.insert("\(tree.hashValue) \(expected.acknowledged) \(expected.removing.count)")
                        .inserted
                else { continue }
                findings.checks += 1
                let directory = workDirectory.appendingPathComponent("state-\(findings.checks)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try tree.write(to: directory)
                let store = directory.appendingPathComponent("store")
                for problem in await expected.problems(in: store) {
                    findings.problems.append("after event \(count) (\(choice)): \(problem)")
                }
                let dropped = Self.droppedBytes(from: tree, in: directory)
                if dropped > 0 { findings.changedByRecovery.append((tree, expected, dropped)) }
                try? FileManager.default.removeItem(at: directory)
                if stopAtFirstProblem, !findings.problems.isEmpty { return findings }
            }
        }
        findings.distinctStates = seen.count
        return findings
    }

    /// Where crash states are written out to be opened: memory (`/dev/shm`) where there is one.
    /// What is checked there is what the store reads back, not what the disk keeps (the model
    /// decides that), and the `fsync`s of thousands of opens and closes would otherwise dominate
    /// the test's time.
    static func scratchDirectory() throws -> URL {
        guard FileManager.default.isWritableFile(atPath: "/dev/shm") else {
            return try TemporaryDirectory.make().appendingPathComponent("states")
        }
        return URL(fileURLWithPath: "/dev/shm/taskworks-power-loss-\(getpid())-\(UUID().uuidString)")
    }

    /// How many non-zero bytes an open truncated from the files of `tree` it kept in `directory`
    /// (the tails it dropped): what a record written after a truncation that never reached the
    /// disk would leave behind it.
    static func droppedBytes(from tree: FileTree, in directory: URL) -> Int {
        tree.files.reduce(0) { total, file in
            let attributes = try? FileManager.default.attributesOfItem(
                atPath: directory.appendingPathComponent(file.key).path)
            guard let size = attributes?[.size] as? Int, size < file.value.count else { return total }
            return total + file.value[size...].count { $0 != 0 }
        }
    }

    /// Records the workload in `durability`; the trace and its journals' inodes.
    static func recordWorkload(_ durability: String, in root: URL) async throws -> (SystemCallTrace, Set<Int>)
    {
        let tree = root.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        let log = root.appendingPathComponent("log")
        let trace = try await record(
            ["powerloss", tree.appendingPathComponent("store").path, log.path, durability],
            tree: tree, initial: FileTree(files: [:], directories: [""]), log: log)
        let journals = Set(trace.createdNames.filter { $0.value.contains("journal-") }.keys)
        return (trace, journals)
    }

    @Test(arguments: ["synchronous", "batched"])
    func everyPowerCutLeavesAStoreThatOpensWithEveryDurableWrite(durability: String) async throws {
        guard FileStoreKillPointTests.strace != nil else {
            Issue.record("strace is not installed (apt-get install strace); .ci/run installs it")
            return
        }
        let root = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: root) }
        let (trace, journals) = try await Self.recordWorkload(durability, in: root)
        let events = trace.events
        #expect(
            events.contains { if case .rename = $0 { true } else { false } }, "no compaction was recorded")
        let batched = durability == "batched"
        let states = CrashStates(initial: FileTree(files: [:], directories: [""]), events: events)
        let findings = try await Self.explore(
            states,
            expectations: {
                PowerLossExpectations(events, afterEvents: $0, batched: batched, journals: journals)
            },
            workDirectory: try Self.scratchDirectory())
        for problem in findings.problems.prefix(20) { Issue.record("\(durability): \(problem)") }
        #expect(
            findings.distinctStates * Self.crashPointStride >= 500,
            "only \(findings.distinctStates) distinct crash states")
        let everything = PowerLossExpectations(
            events, afterEvents: events.count, batched: batched, journals: journals)
        #expect(everything.created.count >= 20, "the workload acknowledged too little to check")

        // A second cut, during the recovery open of each state whose open changed files.
        var recoveryStates = 0
        var recoveryProblems: [String] = []
        // The longest dropped tails first: a record written after a truncation that did not reach
        // the disk leaves the rest of a longer tail after it (zeros there would be dropped again).
        let recoveries = findings.changedByRecovery.sorted { $0.dropped > $1.dropped }
            .prefix(max(1, Self.recoveryCuts / Self.crashPointStride))
        for (number, (tree, expected, _)) in recoveries.enumerated() {
            let directory = root.appendingPathComponent("recovery-\(number)")
            let treeDirectory = directory.appendingPathComponent("tree")
            try FileManager.default.createDirectory(at: treeDirectory, withIntermediateDirectories: true)
            try tree.write(to: treeDirectory)
            let log = directory.appendingPathComponent("log")
            let recovery = try await Self.record(
                ["recover", treeDirectory.appendingPathComponent("store").path, log.path],
                tree: treeDirectory, initial: tree, log: log)
            let recoveryEvents = recovery.events
            let cut = try await Self.explore(
                CrashStates(initial: tree, events: recoveryEvents),
                expectations: {
                    PowerLossExpectations(
                        recoveryEvents, afterEvents: $0, batched: false, journals: [], base: expected)
                },
                workDirectory: directory.appendingPathComponent("states"))
            recoveryStates += cut.distinctStates
            recoveryProblems += cut.problems.map { "recovery of state \(number): \($0)" }
            try? FileManager.default.removeItem(at: directory)
        }
        for problem in recoveryProblems.prefix(20) { Issue.record("\(durability): \(problem)") }
        #expect(!recoveries.isEmpty, "no recovery open changed a file: nothing was cut twice")
        print(
            "power loss (\(durability)): \(events.count) recorded events, \(findings.crashPoints) crash points, "
                + "\(findings.distinctStates) distinct crash states, \(findings.checks) opened and checked, "
                + "\(everything.acknowledged) acknowledged writes at the end, "
                + "\(findings.problems.count) problems; cuts during \(recoveries.count) recovery "
                + "opens: \(recoveryStates) distinct states, \(recoveryProblems.count) problems")
    }

    @Test func theModelReportsLostWritesWhenTheJournalIsNeverSynced() async throws {
        guard FileStoreKillPointTests.strace != nil else {
            Issue.record("strace is not installed (apt-get install strace); .ci/run installs it")
            return
        }
        let root = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: root) }
        let (trace, journals) = try await Self.recordWorkload("synchronous", in: root)
        let events = trace.events
        let states = CrashStates(
            initial: FileTree(files: [:], directories: [""]), events: events, ignoringSyncOf: journals)
        let findings = try await Self.explore(
            states,
            expectations: {
                PowerLossExpectations(events, afterEvents: $0, batched: false, journals: journals)
            },
            workDirectory: root.appendingPathComponent("states"), stopAtFirstProblem: true)
        #expect(
            findings.problems.contains { $0.contains("lost") },
            "with the journal's fsyncs left out, no acknowledged write was lost: the model cannot catch one")
    }
}
