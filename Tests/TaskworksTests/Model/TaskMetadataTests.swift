import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks
@testable import TaskworksHTTP

/// Task metadata: the limits, where it comes from at create, what runners see and what the HTTP
/// API shows and accepts.
@Suite("Task metadata")
struct TaskMetadataTests {
    static let refused: [(String, [String: String])] = [
        ("an empty key", ["": "x"]),
        ("a space in the key", ["my key": "x"]),
        ("a non-ASCII key", ["clé": "x"]),
        ("a 65-byte key", [String(repeating: "k", count: 65): "x"]),
        ("a control character in the value", ["k": "a\u{7}b"]),
        ("a newline in the value", ["k": "a\nb"]),
        ("a 1,025-byte value", ["k": String(repeating: "v", count: 1_025)]),
        ("33 entries", Dictionary(uniqueKeysWithValues: (0..<33).map { ("k\($0)", "v") })),
        (
            "8,199 bytes in all",
            Dictionary(uniqueKeysWithValues: (0..<9).map { ("k\($0)", String(repeating: "v", count: 909)) })
        ),
    ]

    @Test(arguments: refused)
    func createRefusesMetadataOutsideTheLimitsAndStoresNothing(what: String, metadata: [String: String])
        async throws
    {
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
        do {
            _ = try await service.create(
                "noop", options: TaskOptions(metadata: metadata), createdBy: .user("a"))
            Issue.record("\(what) was accepted")
        } catch let error as TaskworksError {
            #expect(error.code == .invalidInput, "\(what): \(error)")
            #expect(error.message.contains("metadata"), "\(what): \(error.message)")
        }
        #expect(try await service.list(TaskQuery(), as: .admin("root")).total == 0, "\(what): nothing stored")
    }

    @Test func theLimitsThemselvesAreAccepted() throws {
        let widest = Dictionary(
            uniqueKeysWithValues: (0..<32).map { ("key-\($0)", String(repeating: "ü", count: 124)) })
        let bytes = widest.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        #expect(bytes <= TaskMetadata.maximumTotalBytes)
        try TaskMetadata.validate(widest)
        try TaskMetadata.validate([String(repeating: "k", count: 64): String(repeating: "v", count: 1_024)])
        try TaskMetadata.validate(["a.b_c-D9": ""])
    }

    struct RequestID: TaskMetadataProvider {
        static let current = TaskLocal<String?>(wrappedValue: nil)
        func metadata(forNewTaskOfType type: String) -> [String: String] {
            var metadata = ["created-as": type]
            if let id = RequestID.current.get() { metadata["request-id"] = id }
            return metadata
        }
    }

    @Test func providersSeeTheCreatorsTaskLocalsAndTheCallersOwnEntriesWin() async throws {
        var configuration = TaskService.Configuration()
        configuration.metadataProviders = [RequestID()]
        let service = TaskService(
            store: InMemoryTaskStore(), registry: try Sample.registry(), configuration: configuration)
        let task = try await RequestID.current.withValue("req-42") {
            try await service.create(
                "noop", options: TaskOptions(metadata: ["created-as": "mine", "tenant": "acme"]),
                createdBy: .user("alice"))
        }
        #expect(task.metadata == ["created-as": "mine", "tenant": "acme", "request-id": "req-42"])
        let plain = try await service.create("noop", createdBy: .user("alice"))
        #expect(plain.metadata == ["created-as": "noop"])
    }

    @Test func runnersAndMiddlewareReadTheMetadata() async throws {
        let registry = TaskRegistry()
        let seen = LockedState<[String: String]?>(nil)
        try registry.register("tenant_job") { _ in
            ClosureTaskRunner { context in
                seen.withLock { $0 = context.task.metadata }
                return context.task.metadata["tenant"] ?? "none"
            }
        }
        let service = TaskService(store: InMemoryTaskStore(), registry: registry)
        let task = try await service.create(
            "tenant_job", options: TaskOptions(metadata: ["tenant": "acme"]), createdBy: .user("alice"))
        let ran = try await service.drainInline()
        #expect(ran.map(\.id) == [task.id])
        #expect(ran.first?.result == .string("acme"))
        #expect(seen.withLock { $0 } == ["tenant": "acme"])
    }

    @Test func theHTTPAPIAcceptsShowsAndChecksMetadata() async throws {
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
        let api = TaskHTTPAPI(service: service, configuration: .init(creatableTypes: ["noop"]))
        let created = await api.handle(
            TaskHTTPRequest.sent(
                method: "POST", path: "/api/tasks",
                body: Array(#"{"type":"noop","metadata":{"tenant":"acme","b":"\"ü\""}}"#.utf8),
                caller: .user("alice")))
        #expect(created.status == 201, "\(created.jsonText ?? "")")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data((created.jsonText ?? "").utf8)) as? [String: Any])
        #expect(object["metadata"] as? [String: String] == ["tenant": "acme", "b": "\"ü\""])
        for body in [
            #"{"type":"noop","metadata":{"tenant":7}}"#, #"{"type":"noop","metadata":["a"]}"#,
            #"{"type":"noop","metadata":{"bad key":"x"}}"#,
        ] {
            let response = await api.handle(
                TaskHTTPRequest.sent(
                    method: "POST", path: "/api/tasks", body: Array(body.utf8), caller: .user("a")))
            #expect(response.status == 400, "\(body): \(response.status) \(response.jsonText ?? "")")
            #expect(response.jsonText?.contains("metadata") == true, "\(body): \(response.jsonText ?? "")")
        }
        let plain = await api.handle(
            TaskHTTPRequest.sent(
                method: "POST", path: "/api/tasks", body: Array(#"{"type":"noop"}"#.utf8), caller: .user("a"))
        )
        #expect(plain.status == 201)
        #expect(plain.jsonText?.contains("metadata") == false, "no metadata, no member")
    }
}
