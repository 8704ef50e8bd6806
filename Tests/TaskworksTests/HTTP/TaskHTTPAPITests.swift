import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks
@testable import TaskworksHTTP

@Suite("HTTP API")
struct TaskHTTPAPITests {
    struct World {
        let api: TaskHTTPAPI
        let service: TaskService
        let clock: ManualTaskClock
        let pending: TaskRecord
        let report: TaskRecord
    }

    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)

    static func world() async throws -> World {
        let clock = ManualTaskClock(Date(timeIntervalSince1970: 1_800_000_000))
        let registry = try Sample.registry()
        let artifacts = try LocalDirectoryArtifactStore(directory: TemporaryDirectory.make().path)
        let service = TaskService(
            store: InMemoryTaskStore(), registry: registry, artifacts: artifacts, clock: clock)
        let pending = try await service.create("noop", createdBy: .user("alice"))
        var report = try await service.create("noop", createdBy: .user("alice"))
        let key = ArtifactKey(for: report.id)
        _ = try await artifacts.write(key) { try await $0.write("a,b\r\n") }
        report = try await service.store.force(report.id) {
            $0.status = .succeeded
            $0.artifact = try? TaskArtifact(
                key: key.rawValue, fileName: "users \"2026\" ü.csv", contentType: "text/csv")
        }
        return World(
            api: try api(over: service), service: service, clock: clock, pending: pending, report: report)
    }

    /// The API the HTTP tests use over `service`: `noop` creatable, links valid for 60 s, and a
    /// `nightly` schedule.
    static func api(over service: TaskService) throws -> TaskHTTPAPI {
        let scheduler = TaskScheduler(service: service)
        try scheduler.add(try TaskSchedule(name: "nightly", taskType: "noop", trigger: .cron("0 2 * * *")))
        return TaskHTTPAPI(
            service: service,
            configuration: .init(
                creatableTypes: ["noop"],
                downloadLinks: try DownloadLinkSigner(secret: secret, lifetime: .seconds(60)),
                scheduler: scheduler))
    }

    enum Who: String, CaseIterable, Sendable {
        case admin, owner, other, anonymous

        var caller: Caller? {
            switch self {
            case .admin: .admin("root")
            case .owner: .user("alice")
            case .other: .user("bob")
            case .anonymous: nil
            }
        }
    }

    struct Route: Sendable, CustomTestStringConvertible {
        let method: String
        let path: String  // {pending} and {report} are replaced
        let body: String
        let expected: [Who: Int]
        var testDescription: String { "\(method) \(path)" }
    }

    static let routes: [Route] = [
        Route(
            method: "GET", path: "/api/tasks", body: "",
            expected: [.admin: 200, .owner: 200, .other: 200, .anonymous: 401]),
        Route(
            method: "GET", path: "/api/tasks/recent", body: "",
            expected: [.admin: 200, .owner: 200, .other: 200, .anonymous: 401]),
        Route(
            method: "GET", path: "/api/tasks/counts", body: "",
            expected: [.admin: 200, .owner: 200, .other: 200, .anonymous: 401]),
        Route(
            method: "GET", path: "/api/tasks/{pending}", body: "",
            expected: [.admin: 200, .owner: 200, .other: 404, .anonymous: 401]),
        Route(
            method: "POST", path: "/api/tasks/{pending}/cancel", body: "",
            expected: [.admin: 200, .owner: 200, .other: 404, .anonymous: 401]),
        Route(
            method: "POST", path: "/api/tasks/{pending}/retry", body: "",
            expected: [.admin: 409, .owner: 409, .other: 404, .anonymous: 401]),
        Route(
            method: "POST", path: "/api/tasks/{pending}/pause", body: "",
            expected: [.admin: 200, .owner: 200, .other: 404, .anonymous: 401]),
        Route(
            method: "POST", path: "/api/tasks/{pending}/resume", body: "",
            expected: [.admin: 200, .owner: 200, .other: 404, .anonymous: 401]),
        Route(
            method: "POST", path: "/api/tasks/{report}/pause", body: "",
            expected: [.admin: 409, .owner: 409, .other: 404, .anonymous: 401]),
        Route(
            method: "GET", path: "/api/task-types/paused", body: "",
            expected: [.admin: 200, .owner: 200, .other: 200, .anonymous: 401]),
        Route(
            method: "POST", path: "/api/task-types/noop/pause", body: "",
            expected: [.admin: 200, .owner: 403, .other: 403, .anonymous: 401]),
        Route(
            method: "POST", path: "/api/task-types/noop/resume", body: "",
            expected: [.admin: 200, .owner: 403, .other: 403, .anonymous: 401]),
        Route(
            method: "DELETE", path: "/api/tasks/{pending}", body: "",
            expected: [.admin: 204, .owner: 204, .other: 404, .anonymous: 401]),
        Route(
            method: "GET", path: "/api/tasks/{report}/artifact", body: "",
            expected: [.admin: 200, .owner: 200, .other: 404, .anonymous: 401]),
        Route(
            method: "GET", path: "/api/tasks/{pending}/artifact", body: "",
            expected: [.admin: 404, .owner: 404, .other: 404, .anonymous: 401]),
        Route(
            method: "POST", path: "/api/tasks/{report}/artifact/link", body: "",
            expected: [.admin: 200, .owner: 200, .other: 404, .anonymous: 401]),
        Route(
            method: "POST", path: "/api/tasks", body: "{\"type\":\"noop\",\"payload\":{\"n\":1}}",
            expected: [.admin: 201, .owner: 201, .other: 201, .anonymous: 401]),
        Route(
            method: "POST", path: "/api/schedules/nightly/run", body: "",
            expected: [.admin: 200, .owner: 403, .other: 403, .anonymous: 401]),
        Route(
            method: "GET", path: "/api/settings", body: "",
            expected: [.admin: 200, .owner: 200, .other: 200, .anonymous: 401]),
        Route(
            method: "PUT", path: "/api/settings", body: "{\"maxConcurrentTasks\":3}",
            expected: [.admin: 200, .owner: 403, .other: 403, .anonymous: 401]),
        Route(
            method: "GET", path: "/api/events", body: "",
            expected: [.admin: 406, .owner: 406, .other: 406, .anonymous: 401]),
        Route(
            method: "GET", path: "/api/caller", body: "",
            expected: [.admin: 200, .owner: 200, .other: 200, .anonymous: 401]),
        Route(
            method: "GET", path: "/api/schedules", body: "",
            expected: [.admin: 200, .owner: 200, .other: 200, .anonymous: 401]),
        Route(
            method: "GET", path: "/api/workers", body: "",
            expected: [.admin: 200, .owner: 200, .other: 200, .anonymous: 401]),
        Route(
            method: "GET", path: "/api/stats", body: "",
            expected: [.admin: 200, .owner: 200, .other: 200, .anonymous: 401]),
    ]

    @Test(arguments: routes, Who.allCases)
    func everyRouteAnswersEveryCallerCorrectly(route: Route, who: Who) async throws {
        let world = try await TaskHTTPAPITests.world()
        let path = route.path.replacingOccurrences(of: "{pending}", with: world.pending.id.description)
            .replacingOccurrences(of: "{report}", with: world.report.id.description)
        let response = await world.api.handle(
            TaskHTTPRequest.sent(
                method: route.method, path: path, body: Array(route.body.utf8), caller: who.caller))
        #expect(
            response.status == route.expected[who],
            "\(route.method) \(path) as \(who): \(response.jsonText ?? "")")
        if response.status >= 400 {
            let body = try #require(response.jsonText)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            let error = try #require(object["error"] as? [String: String])
            #expect(error["code"] != nil && error["message"] != nil)
        }
        if response.status == 404, who == .other, route.path.contains("{pending}") {
            // Exactly what an id that does not exist gets.
            let unknown = TaskID()
            let probe = await world.api.handle(
                TaskHTTPRequest.sent(
                    method: route.method,
                    path: path.replacingOccurrences(
                        of: world.pending.id.description, with: unknown.description), caller: who.caller))
            #expect(probe.status == 404)
            #expect(
                probe.jsonText?.replacingOccurrences(of: unknown.description, with: "ID")
                    == response.jsonText?.replacingOccurrences(of: world.pending.id.description, with: "ID"))
        }
    }

    @Test func aUsersListNeverShowsOthersTasks() async throws {
        let world = try await TaskHTTPAPITests.world()
        let response = await world.api.handle(
            TaskHTTPRequest.sent(method: "GET", path: "/api/tasks", caller: .user("bob")))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data((response.jsonText ?? "").utf8)) as? [String: Any])
        #expect(object["total"] as? Int == 0)
        let mine = await world.api.handle(
            TaskHTTPRequest.sent(
                method: "GET", path: "/api/tasks",
                query: [URLQueryItem(name: "status", value: "pending,succeeded")],
                caller: .user("alice")))
        let list = try #require(
            try JSONSerialization.jsonObject(with: Data((mine.jsonText ?? "").utf8)) as? [String: Any])
        #expect(list["total"] as? Int == 2)
    }

    @Test(arguments: [
        ("GET", "/api/tasks/not-an-id", [String: String](), "", 400),
        ("GET", "/api/tasks", ["page": "0"], "", 400),
        ("GET", "/api/tasks", ["pageSize": "101"], "", 400),
        ("GET", "/api/tasks", ["pageSize": "99999999999999999999999"], "", 400),
        ("GET", "/api/tasks", ["page": "-1"], "", 400),
        ("GET", "/api/tasks", ["status": "bogus"], "", 400),
        ("GET", "/api/tasks", ["sort": "random"], "", 400),
        ("GET", "/api/tasks", ["search": "%_'\""], "", 200),
        ("GET", "/api/tasks", ["page": "1000000", "pageSize": "100"], "", 200),
        ("POST", "/api/tasks", [:], "not json", 400),
        ("POST", "/api/tasks", [:], "{\"payload\":1}", 400),
        ("POST", "/api/tasks", [:], "{\"type\":\"report_forbidden\"}", 403),
        ("GET", "/api/nothing", [:], "", 404),
        ("GET", "/elsewhere/tasks", [:], "", 404),
        ("PUT", "/api/tasks/3f2504e0-4f89-41d3-9a0c-0305e82c3301", [:], "", 405),
        ("GET", "/api/tasks/3f2504e0-4f89-41d3-9a0c-0305e82c3301/cancel", [:], "", 405),
        ("POST", "/api/schedules/unknown/run", [:], "", 404),
    ])
    func badInputIsA4xxNeverA500(
        method: String, path: String, query: [String: String], body: String, status: Int
    ) async throws {
        let world = try await TaskHTTPAPITests.world()
        let response = await world.api.handle(
            TaskHTTPRequest.sent(
                method: method, path: path, query: query.map { URLQueryItem(name: $0.key, value: $0.value) },
                body: Array(body.utf8), caller: .admin("root")))
        #expect(response.status == status, "\(response.jsonText ?? "")")
    }

    @Test func downloadsCarryASafelyQuotedFileName() async throws {
        let world = try await TaskHTTPAPITests.world()
        let response = await world.api.handle(
            TaskHTTPRequest.sent(
                method: "GET", path: "/api/tasks/\(world.report.id)/artifact", caller: .user("alice")))
        #expect(response.headers["Content-Type"] == "text/csv")
        #expect(response.headers["Content-Length"] == "5")
        #expect(
            response.headers["Content-Disposition"]
                == "attachment; filename=\"users _2026_ _.csv\"; filename*=UTF-8''users%20%222026%22%20%C3%BC.csv"
        )
        guard case .stream(let chunks) = response.body else {
            Issue.record("expected a stream")
            return
        }
        var bytes: [UInt8] = []
        for try await chunk in chunks { bytes += chunk }
        #expect(bytes == Array("a,b\r\n".utf8))
    }

    @Test func signedLinksWorkUntilTheyExpireAndCannotBeTamperedWith() async throws {
        let world = try await TaskHTTPAPITests.world()
        let issued = await world.api.handle(
            TaskHTTPRequest.sent(
                method: "POST", path: "/api/tasks/\(world.report.id)/artifact/link", caller: .user("alice")))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data((issued.jsonText ?? "").utf8)) as? [String: Any])
        let link = try #require(object["url"] as? String)
        let url = try #require(URLComponents(string: link))
        let query = try #require(url.queryItems)
        func get(_ items: [URLQueryItem]) async -> Int {
            await world.api.handle(
                TaskHTTPRequest.sent(method: "GET", path: url.path, query: items, caller: nil)
            )
            .status
        }
        #expect(await get(query) == 200)  // no session needed
        let tampered = query.map {
            $0.name == "caller" ? URLQueryItem(name: "caller", value: "user:bob") : $0
        }
        #expect(await get(tampered) == 403)
        let forged = query.map {
            $0.name == "signature"
                ? URLQueryItem(name: "signature", value: String(repeating: "0", count: 64)) : $0
        }
        #expect(await get(forged) == 403)
        world.clock.advance(by: 61)
        #expect(await get(query) == 410)
    }
}

@Suite("HTTP response bodies")
struct TaskHTTPResponseBodyTests {
    @Test func aJSONBodyAndAnArtifactAreCollectedInOneCall() async throws {
        let world = try await TaskHTTPAPITests.world()
        let page = try await world.api.handle(
            TaskHTTPRequest.sent(method: "GET", path: "/api/tasks", caller: .user("alice"))
        ).collectJSON()
        #expect(page["total"]?.integerValue == 2)
        #expect(page["items"]?[0]?["createdBy"]?.stringValue == "alice")
        #expect(page["items"]?[5] == nil)
        let download = await world.api.handle(
            TaskHTTPRequest.sent(
                method: "GET", path: "/api/tasks/\(world.report.id)/artifact", caller: .user("alice")))
        #expect(try await download.collectBytes() == Array("a,b\r\n".utf8))
        let notJSON = await #expect(throws: TaskworksError.self) { try await download.collectJSON() }
        #expect(notJSON?.code == .invalidInput)
        let deleted = await world.api.handle(
            TaskHTTPRequest.sent(
                method: "DELETE", path: "/api/tasks/\(world.pending.id)", caller: .user("alice")))
        #expect(try await deleted.collectBytes().isEmpty)
    }
}
