import Taskworks

struct Resize: Codable, Sendable {
    var width: Int
}

struct ResizeRunner: TaskRunner {
    func run(_ context: TaskContext) async throws -> (any Encodable & Sendable)? {
        let resize = try context.payload(as: Resize.self)
        for step in 1...4 {
            try context.checkCancellation()  // stop between steps when cancelled
            context.reportProgress(Double(step) * 25)
        }
        return ["width": resize.width]
    }
}

let registry = TaskRegistry()
try registry.register("resize_image") { _ in ResizeRunner() }
let service = TaskService(store: InMemoryTaskStore(), registry: registry)
let pool = WorkerPool(service: service, configuration: .init(concurrency: 10))
let worker = Task { try await pool.run() }  // cancel it to shut down gracefully

let events = try service.events(for: .user("alice"))
let task = try await service.create(
    "resize_image", payload: Resize(width: 640), options: .init(maxRetries: 3, priority: 7),
    createdBy: .user("alice"), onComplete: { finished in print("callback:", finished.status) })

for await event in events where event.kind == .finished && event.task.id == task.id {
    print("finished:", event.task.status, event.task.result ?? .null)
    break
}
worker.cancel()
try await worker.value
