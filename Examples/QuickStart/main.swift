import Taskworks

struct Resize: TaskDefinition {  // a task declared as a type: its payload, name and result
    typealias Result = Resized
    static let taskType = "resize_image"
    var width: Int
}

struct Resized: Codable, Sendable {
    var width: Int
}

let registry = TaskRegistry()
try registry.register(Resize.self) { resize, context in
    for step in 1...4 {
        try context.checkCancellation()  // stop between steps when cancelled
        context.reportProgress(step * 25)
    }
    return Resized(width: resize.width)
}
let service = TaskService(store: InMemoryTaskStore(), registry: registry)
let pool = WorkerPool(service: service, configuration: .init(concurrency: 10))
let worker = Task { try await pool.run() }  // pool.shutdown() stops it gracefully

let events = try service.events(for: .user("alice"))
let task = try await service.create(
    Resize(width: 640), options: .init(maxRetries: 3, priority: 7), createdBy: .user("alice"),
    onComplete: { finished, resized in print("callback:", finished.status, resized?.width ?? 0) })

for await event in events where event.kind == .finished && event.task.id == task.id {
    print("finished:", event.task.status, try event.task.result(of: Resize.self)?.width ?? 0)
    break
}
pool.shutdown()
try await worker.value
