import Foundation
import Synchronization
import Taskworks
import UserExportPlugin

// taskworks-demo: two user exports through Taskworks, end to end. See `--help`.

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data("taskworks-demo: \(message)\n".utf8))
    exit(code)
}

let options: DemoOptions
do {
    guard let parsed = try DemoOptions.parse(Array(CommandLine.arguments.dropFirst())) else {
        print(DemoOptions.help)
        exit(0)
    }
    options = parsed
} catch let error as DemoOptions.UsageError {
    fail("\(error.message)\n\n\(DemoOptions.help)", code: 2)
}

let dataDirectory = URL(fileURLWithPath: options.dataDirectory).standardizedFileURL.path
let store: any TaskStore
let artifacts: LocalDirectoryArtifactStore
do {
    try FileManager.default.createDirectory(
        atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    switch options.store {
    case .file:
        store = try await FileTaskStore(
            directory: dataDirectory + "/store", options: .init(createDirectory: true))
    case .memory:
        store = InMemoryTaskStore()
    }
    artifacts = try LocalDirectoryArtifactStore(directory: dataDirectory + "/artifacts")
    try FileManager.default.createDirectory(
        atPath: dataDirectory + "/exports", withIntermediateDirectories: true)
} catch {
    fail("cannot use --data-dir \(options.dataDirectory): \(error)", code: 1)
}

let registry = TaskRegistry()
try registry.install(UserExportPlugin(directory: SampleUserDirectory(count: options.users)))
let service = TaskService(store: store, registry: registry, artifacts: artifacts)
let pool = WorkerPool(service: service, configuration: .init(concurrency: 4))
// Ctrl-C (or SIGTERM) shuts the pool down gracefully; a second one forces it.
let worker = Task { try await SignalHandling.run(pool) }
let allFinished = Atomic<Bool>(false)
Task {
    _ = try? await worker.value
    if !allFinished.load(ordering: .acquiring) {
        print("\ninterrupted: unfinished exports are pending again and will run on the next start")
        exit(130)
    }
}
let admin = Caller.admin("demo-admin")

print("Taskworks demo: \(options.users) sample users, \(options.store.rawValue) store in \(dataDirectory)")
let earlier = try await service.list(TaskQuery(pageSize: 100), as: admin)
if earlier.total > 0 {
    print("\(earlier.total) tasks from earlier runs are still listed (they persisted):")
    for task in earlier.items.prefix(4) {
        let result = task.result.map { " \($0)" } ?? ""
        print(
            "  \(task.id.description.prefix(8))  \(task.type)  by \(task.createdBy)  \(task.status.rawValue)\(result)"
        )
    }
}

let display = ProgressDisplay()
let onTerminal = isatty(STDOUT_FILENO) == 1
let events = try service.events(for: admin)
let exporters = ["alice": UserExportRequest(), "bob": UserExportRequest(status: .active)]
var exports: [(user: String, id: TaskID)] = []
for user in exporters.keys.sorted() {
    let task = try await service.create(
        UserExportPlugin.taskType, payload: exporters[user], createdBy: .user(user),
        onComplete: { finished in
            let rows = (try? finished.result?.decode(UserExportResult.self))?.rows
            print(
                "\(onTerminal ? "\n" : "")callback: \(user)'s export \(finished.status.rawValue)\(rows.map { " with \($0) rows" } ?? "")"
            )
        })
    display.track(user)
    exports.append((user, task.id))
}
let ids = Dictionary(uniqueKeysWithValues: exports.map { ($0.id, $0.user) })

// Visibility: bob cannot see alice's task — it is simply not found — while an admin sees both.
let alicesExport = exports[0].id
do {
    _ = try await service.task(alicesExport, as: .user("bob"))
    fail("bob could read alice's task; visibility is broken", code: 1)
} catch let error as TaskworksError where error.code == .taskNotFound {
    print("bob asks for alice's export → \(error.code.name): \(error.message)")
}
let adminView = try await service.list(
    TaskQuery(types: [UserExportPlugin.taskType], pageSize: 100), as: admin)
let adminSeesBoth = exports.allSatisfy { export in adminView.items.contains { $0.id == export.id } }
print(
    "demo-admin lists \(adminView.total) user exports, including both of this run's: \(adminSeesBoth ? "yes" : "no")"
)

var finished: [TaskID: TaskRecord] = [:]
for await event in events {
    guard let user = ids[event.task.id] else { continue }
    if event.kind == .progress { display.update(user, event.task.progress) }
    if event.kind == .finished {
        display.update(user, event.task.progress)
        finished[event.task.id] = event.task
        if finished.count == exports.count { break }
    }
}
display.finish()
allFinished.store(true, ordering: .releasing)
pool.shutdown()
try await worker.value
await service.waitForCallbacks()

var failures = 0
for export in exports {
    guard let task = finished[export.id], task.status == .succeeded,
        let result = try? task.result?.decode(UserExportResult.self)
    else {
        print("\(export.user)'s export did not succeed: \(finished[export.id]?.errorMessage ?? "unknown")")
        failures += 1
        continue
    }
    // Download the CSV the way a web app would: as its owner, through the service.
    let download = try await service.openArtifact(of: export.id, as: .user(export.user))
    let path = "\(dataDirectory)/exports/\(export.user)_\(download.artifact.fileName)"
    _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    for try await chunk in download.bytes { try output.write(contentsOf: chunk) }
    try output.close()
    print("exported \(result.rows) users to \(path)")
}
if let file = store as? FileTaskStore { await file.close() }
if options.reportMemory,
    let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let peak = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
{
    print("peak memory: \(peak.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces))")
}
exit(failures == 0 ? 0 : 1)
