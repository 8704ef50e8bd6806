#if Tracing
    import Foundation
    import InMemoryTracing
    import Taskworks
    import TaskworksTesting
    import TaskworksTracing
    import Testing
    import Tracing

    /// A task created inside a span in this process and run in another (`TracingProbe`, over the same
    /// file store): the attempt's span continues the creator's trace, or links to it.
    @Suite("swift-distributed-tracing")
    struct TracingTests {
        struct FinishedSpan: Decodable {
            var name: String
            var traceID: String
            var spanID: String
            var parentSpanID: String?
            var kind: String
            var attributes: [String: String]
            var errors: [String]
            var status: String?
            var links: [[String: String]]
        }

        struct Creation {
            var directory: URL
            var creatorTraceID: String
            var creatorSpanID: String
            var export: TaskRecord
            var broken: TaskRecord
            var untraced: TaskRecord
        }

        static func registry() throws -> TaskRegistry {
            let registry = TaskRegistry()
            try registry.register("export") { _ in ClosureTaskRunner { _ in nil } }
            try registry.register("broken", defaults: .init(maxRetries: 0)) { _ in
                ClosureTaskRunner { _ in nil }
            }
            return registry
        }

        /// Creates an export and a broken task inside a `server` span, and one outside any span.
        static func create() async throws -> Creation {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "taskworks-tracing-\(UUID().uuidString)")
            let tracer = InMemoryTracer(
                idGenerator: .init(
                    nextTraceID: { "creator-trace-\(UUID().uuidString)" },
                    nextSpanID: { "creator-span-\(UUID().uuidString)" }))
            var configuration = TaskService.Configuration()
            configuration.metadataProviders = [TaskTraceContextPropagation(instrument: tracer)]
            let store = try await FileTaskStore(
                directory: directory.path, options: FileTaskStore.Options(createDirectory: true))
            let service = TaskService(store: store, registry: try registry(), configuration: configuration)
            let (export, broken, creator) = try await tracer.withSpan("POST /users/export", ofKind: .server) {
                span in
                let export = try await service.create("export", createdBy: .user("alice"))
                let broken = try await service.create("broken", createdBy: .user("alice"))
                return (export, broken, span.spanContext)
            }
            let untraced = try await service.create("export", createdBy: .user("alice"))
            await store.close()
            return Creation(
                directory: directory, creatorTraceID: creator.traceID, creatorSpanID: creator.spanID,
                export: export, broken: broken, untraced: untraced)
        }

        /// Runs `TracingProbe` over `directory` and reads the spans it printed.
        static func runProbe(_ directory: URL, relation: String) async throws -> [FinishedSpan] {
            let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            var buildDirectory = testBinary.deletingLastPathComponent()
            if buildDirectory.lastPathComponent.hasSuffix(".xctest") {
                buildDirectory.deleteLastPathComponent()
            }
            let probe = buildDirectory.appendingPathComponent("TracingProbe")
            try #require(
                FileManager.default.isExecutableFile(atPath: probe.path),
                "no TracingProbe at \(probe.path): build with `swift build --build-tests`")
            // Beside the store, not in it: a file store refuses a directory holding other files.
            let output = URL(fileURLWithPath: directory.path + ".spans.jsonl")
            defer { try? FileManager.default.removeItem(at: output) }
            try #require(FileManager.default.createFile(atPath: output.path, contents: nil))
            let process = Process()
            process.executableURL = probe
            process.arguments = [directory.path, relation]
            process.standardOutput = try FileHandle(forWritingTo: output)
            try process.run()
            try await eventually("TracingProbe exits", timeout: .seconds(90)) { !process.isRunning }
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "TracingProbe exit status")
            let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
            return try lines.map { try JSONDecoder().decode(FinishedSpan.self, from: Data($0.utf8)) }
        }

        @Test func theCreatorsTraceContextIsStoredInTheTasksMetadata() async throws {
            let creation = try await TracingTests.create()
            defer { try? FileManager.default.removeItem(at: creation.directory) }
            #expect(creation.export.metadata[InMemoryTracer.traceIDKey] == creation.creatorTraceID)
            #expect(creation.export.metadata[InMemoryTracer.spanIDKey] == creation.creatorSpanID)
            #expect(creation.untraced.metadata.isEmpty, "outside a span nothing is added")
        }

        @Test(arguments: ["parent", "link"])
        func anAttemptInAnotherProcessContinuesTheCreatorsTrace(relation: String) async throws {
            let creation = try await TracingTests.create()
            defer { try? FileManager.default.removeItem(at: creation.directory) }
            let spans = try await TracingTests.runProbe(creation.directory, relation: relation)
            #expect(spans.count == 3, "one span per attempt: \(spans.map(\.name))")
            func span(of task: TaskRecord) throws -> FinishedSpan {
                try #require(spans.first { $0.attributes["taskworks.task.id"] == task.id.description })
            }
            let export = try span(of: creation.export)
            #expect(export.name == "export")
            #expect(export.kind == "consumer")
            #expect(export.attributes["taskworks.task.type"] == "export")
            #expect(export.attributes["taskworks.task.attempt"] == "1")
            #expect(export.attributes["taskworks.task.outcome"] == "succeeded")
            #expect(export.attributes["taskworks.worker.id"] == "probe-worker")
            #expect(export.errors.isEmpty)
            let creator = ["traceID": creation.creatorTraceID, "spanID": creation.creatorSpanID]
            if relation == "parent" {
                #expect(export.traceID == creation.creatorTraceID, "the attempt is in the creator's trace")
                #expect(export.parentSpanID == creation.creatorSpanID, "its parent is the creator's span")
                #expect(export.links.isEmpty)
            } else {
                #expect(export.traceID != creation.creatorTraceID, "the attempt starts its own trace")
                #expect(export.parentSpanID == nil)
                #expect(export.links == [creator], "and links to the creator's span")
            }

            print(
                "span tree (\(relation)): POST /users/export [server] trace=\(creation.creatorTraceID) "
                    + "span=\(creation.creatorSpanID)\n  └ \(export.name) [\(export.kind)] trace=\(export.traceID) "
                    + "parent=\(export.parentSpanID ?? "none") links=\(export.links) attributes=\(export.attributes.sorted { $0.key < $1.key })"
            )
            let broken = try span(of: creation.broken)
            #expect(broken.attributes["taskworks.task.outcome"] == "failed")
            #expect(broken.errors.count == 1)
            #expect(broken.errors.first?.contains("refused") == true, "\(broken.errors)")
            #expect(broken.status == "error")

            let untraced = try span(of: creation.untraced)
            #expect(untraced.traceID != creation.creatorTraceID)
            #expect(untraced.parentSpanID == nil)
            #expect(untraced.links.isEmpty)
        }
    }
#endif  // Tracing
