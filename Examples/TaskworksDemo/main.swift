import Foundation
import Taskworks

// A tour of Taskworks in one process: three task types, two users and an admin, progress,
// an automatic retry, a cancel, per-user visibility and a graceful shutdown.

struct Thumbnail: Codable, Sendable {
    var image: String
}

func line(_ text: String) {
    print(text)
}

let registry = TaskRegistry()
try registry.register("thumbnail") { _ in
    ClosureTaskRunner { context in
        let input = try context.payload(as: Thumbnail.self)
        for step in 1...10 {
            try await Task.sleep(for: .milliseconds(25))  // stands in for real work
            context.reportProgress(Double(step) * 10)
        }
        return ["thumbnail": "thumbs/\(input.image)"]
    }
}
try registry.register("flaky_upload", defaults: TaskTypeDefaults(maxRetries: 2)) { _ in
    ClosureTaskRunner { context in
        if context.task.attempts == 1 {
            throw TaskFailure.retryable("upload server answered 503 (first attempt fails on purpose)")
        }
        return "uploaded on attempt \(context.task.attempts)"
    }
}
try registry.register("yearly_report") { _ in
    ClosureTaskRunner { context in
        for step in 1...1000 {
            try await Task.sleep(for: .milliseconds(20))  // cancelled long before the end
            context.reportProgress(Double(step) / 10)
        }
        return nil
    }
}

let service = TaskService(store: InMemoryTaskStore(), registry: registry)
var configuration = WorkerPool.Configuration(concurrency: 4)
configuration.retryPolicy = RetryPolicy(initialDelay: .milliseconds(200))
let pool = WorkerPool(service: service, configuration: configuration)
let worker = Task { try await pool.run() }

line("Taskworks demo: in-memory store, 4 workers, task types \(registry.typeNames.joined(separator: ", "))\n")

let log = Task {
    for await event in try service.events(for: .admin("demo-admin")) {
        let task = event.task
        let who = "\(task.type) \(task.id.description.prefix(8)) (\(task.createdBy))"
        switch event.kind {
        case .progress:
            line("  \(who) at \(task.progress)%")
        case .retryScheduled:
            line("  \(who) will retry: \(task.errorMessage ?? "")")
        case .finished:
            line("  \(who) \(task.status.rawValue)\(task.result.map { " → \($0)" } ?? "")")
        default:
            line("  \(who) \(event.kind.rawValue)")
        }
    }
}

var created: [TaskRecord] = []
for image in ["cat.png", "dog.png", "owl.png"] {
    created.append(
        try await service.create("thumbnail", payload: Thumbnail(image: image), createdBy: .user("alice")))
}
created.append(
    try await service.create("thumbnail", payload: Thumbnail(image: "fox.png"), createdBy: .user("bob")))
created.append(
    try await service.create("flaky_upload", options: TaskOptions(priority: 8), createdBy: .user("bob")))
let report = try await service.create("yearly_report", createdBy: .user("alice"))
created.append(report)

// Alice cannot see Bob's tasks, and cannot touch them either: they are simply not found.
let bobsUpload = created[4]
do {
    _ = try await service.cancel(bobsUpload.id, as: .user("alice"))
} catch let error as TaskworksError {
    line("alice cancelling bob's task → \(error.code.rawValue)")
}

// Alice changes her mind about the long report once it is running.
while try await service.task(report.id, as: .user("alice")).status == .pending {
    try await Task.sleep(for: .milliseconds(10))
}
try await service.cancel(report.id, as: .user("alice"))
line("alice asked to cancel her yearly_report")

// Wait until everything finished, then show what each caller sees.
while try await service.counts(for: .system).byStatus.keys.contains(where: \.isActive) {
    try await Task.sleep(for: .milliseconds(20))
}
worker.cancel()
try await worker.value
await service.waitForCallbacks()
log.cancel()

line("\nWhat each caller sees:")
for caller in [Caller.user("alice"), .user("bob"), .admin("demo-admin")] {
    let page = try await service.list(TaskQuery(pageSize: 100), as: caller)
    let counts = try await service.counts(for: caller)
    let summary = counts.byStatus.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.rawValue)" }
    line("  \(caller): \(page.total) tasks (\(summary.joined(separator: ", ")))")
}

line("\nAll tasks:")
for task in try await service.list(
    TaskQuery(sort: .createdAscending, pageSize: 100), as: .admin("demo-admin")
).items {
    let id = task.id.description.prefix(8)
    line(
        "  \(id)  \(task.type.padding(toLength: 14, withPad: " ", startingAt: 0)) "
            + "\(task.createdBy.padding(toLength: 6, withPad: " ", startingAt: 0)) "
            + "\(task.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) "
            + "attempts \(task.attempts)  progress \(task.progress)%")
}
line("\nThe pool shut down gracefully; every runner stopped before run() returned.")
