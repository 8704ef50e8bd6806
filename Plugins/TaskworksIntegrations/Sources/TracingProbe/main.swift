#if Tracing
    // The tracing test's worker process: opens the file store at the path given, runs every task in
    // it through a pool whose attempts are traced by an in-memory tracer, and prints each finished
    // span as one JSON line on standard output. Exit status 0 once no task is pending or running.
    import Foundation
    import InMemoryTracing
    import Taskworks
    import TaskworksTesting
    import TaskworksTracing
    import Tracing

    struct ExportFailed: Error, CustomStringConvertible {
        var description: String { "the export target refused the file" }
    }

    enum Drain {
        /// Runs `pool` until no task of `service` is pending or running (within a minute).
        static func run(_ pool: WorkerPool, service: TaskService) async throws {
            try await withRunningPool(pool) {
                try await eventually("every task to finish", timeout: .seconds(60)) {
                    let counts = try await service.counts(for: .admin("probe"))
                    return counts[.pending] == 0 && counts[.running] == 0
                }
            }
        }
    }

    let arguments = CommandLine.arguments
    guard arguments.count == 3,
        let relation = ["parent": TaskTracingMiddleware.CreatorRelation.parent, "link": .link][arguments[2]]
    else {
        FileHandle.standardError.write(Data("usage: TracingProbe <file store directory> parent|link\n".utf8))
        exit(64)
    }
    let tracer = InMemoryTracer(
        idGenerator: .init(
            nextTraceID: { "probe-trace-\(UUID().uuidString)" },
            nextSpanID: { "probe-span-\(UUID().uuidString)" }
        ))
    let registry = TaskRegistry()
    try registry.register("export") { _ in
        ClosureTaskRunner { context in
            context.reportProgress(100)
            return "done"
        }
    }
    try registry.register("broken") { _ in ClosureTaskRunner { _ in throw ExportFailed() } }
    let store = try await FileTaskStore(directory: arguments[1])
    let service = TaskService(store: store, registry: registry)
    var configuration = WorkerPool.Configuration(concurrency: 2)
    configuration.workerID = "probe-worker"
    configuration.middleware = [TaskTracingMiddleware(tracer: tracer, relation: relation)]
    try await Drain.run(WorkerPool(service: service, configuration: configuration), service: service)
    await store.close()

    for span in tracer.finishedSpans {
        var attributes: [String: String] = [:]
        // swift-format-ignore: ReplaceForEachWithForLoop
        // (SpanAttributes is not a Sequence: forEach is how it lists its members.)
        span.attributes.forEach { name, attribute in
            switch attribute {
            case .string(let text): attributes[name] = text
            case .int64(let number): attributes[name] = String(number)
            default: attributes[name] = "\(attribute)"
            }
        }
        let line: [String: Any] = [
            "name": span.operationName, "traceID": span.traceID, "spanID": span.spanID,
            "parentSpanID": span.parentSpanID ?? NSNull(), "kind": "\(span.kind)", "attributes": attributes,
            "errors": span.errors.map { "\($0.error)" },
            "status": span.status.map { "\($0.code)" } ?? NSNull(),
            "links": span.links.compactMap { link -> [String: String]? in
                guard let context = link.context.inMemorySpanContext else { return nil }
                return ["traceID": context.traceID, "spanID": context.spanID]
            },
        ]
        let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
#endif  // Tracing
