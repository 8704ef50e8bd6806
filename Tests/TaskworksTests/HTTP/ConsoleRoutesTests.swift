import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks
@testable import TaskworksHTTP

/// The routes a console reads besides tasks: `GET /caller`, `GET /schedules`, `GET /workers`.
@Suite("Console routes")
struct ConsoleRoutesTests {
    static let policy = RoleBasedTaskPolicy(roles: [
        "admin": .init(permissions: RoleBasedTaskPolicy.everyTaskPermission, seesEveryTask: true),
        "operator": .init(permissions: [.list, .view, .cancel, .retry, .download, "report:create"]),
        "viewer": .init(permissions: [.list, .view]),
    ])

    static func world() async throws -> (TaskHTTPAPI, TaskService, TaskScheduler) {
        let registry = try Sample.registry()
        try registry.requirePermission("report:create", toCreate: "noop")
        var configuration = TaskService.Configuration()
        configuration.authorization = policy
        let service = TaskService(
            store: InMemoryTaskStore(), registry: registry, configuration: configuration)
        let scheduler = TaskScheduler(service: service)
        try scheduler.add(try TaskSchedule(name: "nightly", taskType: "noop", trigger: .cron("0 2 * * *")))
        try scheduler.add(
            try TaskSchedule(
                name: "refresh", taskType: "noop", trigger: .interval(.seconds(300), runAtStart: true)))
        return (TaskHTTPAPI(service: service, configuration: .init(scheduler: scheduler)), service, scheduler)
    }

    static func get(_ api: TaskHTTPAPI, _ path: String, as caller: Caller) async throws -> JSONValue {
        let response = await api.handle(TaskHTTPRequest(method: "GET", path: path, caller: caller))
        #expect(response.status == 200, "\(path): \(response.jsonText ?? "")")
        return try await response.collectJSON()
    }

    static func strings(_ value: JSONValue?) -> [String] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    @Test(arguments: [
        (
            "operator", false, ["task:cancel", "task:download", "task:list", "task:retry", "task:view"],
            ["noop"]
        ),
        ("viewer", false, ["task:list", "task:view"], [String]()),
        // The admin role holds every Taskworks permission but not the plugin's "report:create".
        (
            "admin", true,
            RoleBasedTaskPolicy.everyTaskPermission.map(\.name).filter { $0 != "task:create" }.sorted(), []
        ),
    ])
    func theCallerRouteSaysWhatTheRoleAllows(
        role: String, seesEveryTask: Bool, permissions: [String], creatable: [String]
    ) async throws {
        let (api, _, _) = try await ConsoleRoutesTests.world()
        let caller = try await ConsoleRoutesTests.get(api, "/api/caller", as: .user("alice", roles: [role]))
        #expect(caller["id"] == .string("alice"))
        #expect(caller["kind"] == .string("user"))
        #expect(caller["seesEveryTask"] == .bool(seesEveryTask))
        #expect(ConsoleRoutesTests.strings(caller["roles"]) == [role])
        #expect(ConsoleRoutesTests.strings(caller["permissions"]) == permissions)
        #expect(ConsoleRoutesTests.strings(caller["creatableTypes"]) == creatable)
    }

    @Test func schedulesShowTheirRuleNextFireAndLatestRun() async throws {
        let (api, _, scheduler) = try await ConsoleRoutesTests.world()
        try await scheduler.tick()
        guard case .fired(_, _, let run) = try await scheduler.runNow("nightly") else {
            Issue.record("the run was skipped")
            return
        }
        let body = try await ConsoleRoutesTests.get(
            api, "/api/schedules", as: .user("root", roles: ["admin"]))
        guard case .array(let items)? = body["items"] else {
            Issue.record("no items: \(body)")
            return
        }
        #expect(items.map { $0["name"] } == [.string("nightly"), .string("refresh")])
        #expect(items[0]["rule"] == .string("cron 0 2 * * * (GMT)"))
        #expect(items[1]["rule"] == .string("every 300 s, and at start"))
        #expect(items[0]["lastOutcome"] == .string("fired"))
        #expect(items[0]["lastRun"]?["id"] == .string(run.id.description))
        #expect(items[0]["lastRun"]?["status"] == .string("pending"))
        if case .string(let next)? = items[0]["nextFire"] {
            #expect(next.hasSuffix("T02:00:00.000Z"))
        } else {
            Issue.record("no next fire: \(items[0])")
        }
        let viewer = await api.handle(
            TaskHTTPRequest(method: "GET", path: "/api/schedules", caller: .user("bob", roles: ["viewer"])))
        #expect(viewer.status == 403)
    }

    @Test func workersListTheRunningTasksByLeaseHolder() async throws {
        let (api, service, _) = try await ConsoleRoutesTests.world()
        var running: [TaskRecord] = []
        for (index, worker) in ["worker-b", "worker-a", "worker-b"].enumerated() {
            let task = try await service.create("noop", createdBy: .system)
            running.append(
                try await service.store.force(task.id) {
                    $0.createdBy = index == 0 ? "alice" : "carol"
                    $0.status = .running
                    $0.leaseOwner = worker
                })
        }
        _ = try await service.create("noop", createdBy: .system)  // pending: not listed
        let body = try await ConsoleRoutesTests.get(api, "/api/workers", as: .user("root", roles: ["admin"]))
        #expect(body["running"] == .integer(3))
        guard case .array(let items)? = body["items"] else {
            Issue.record("no items: \(body)")
            return
        }
        #expect(items.map { $0["workerID"] } == [.string("worker-a"), .string("worker-b")])
        guard case .array(let bTasks)? = items[1]["tasks"] else {
            Issue.record("no tasks for worker-b")
            return
        }
        #expect(
            bTasks.map { $0["id"] } == [
                .string(running[0].id.description), .string(running[2].id.description),
            ])
    }

    @Test func statsGiveTheDashboardItsSeriesForCallersWhoMayViewSettings() async throws {
        let (api, service, _) = try await ConsoleRoutesTests.world()
        for _ in 0..<3 { _ = try await service.create("noop", createdBy: .system) }
        let response = await api.handle(
            TaskHTTPRequest(
                method: "GET", path: "/api/stats", query: [URLQueryItem(name: "window", value: "15")],
                caller: .user("root", roles: ["admin"])))
        #expect(response.status == 200)
        let body = try await response.collectJSON()
        #expect(body["minutes"] == .integer(15))
        guard case .array(let depth)? = body["total"]?["queueDepth"] else {
            Issue.record("no queue depth: \(body)")
            return
        }
        #expect(depth.count == 15)
        #expect(depth.last == .integer(3))
        #expect(body["byType"]?["noop"] != nil)
        let viewer = await api.handle(
            TaskHTTPRequest(method: "GET", path: "/api/stats", caller: .user("v", roles: ["viewer"])))
        #expect(viewer.status == 403)
        for window in ["0", "1441", "abc"] {
            let bad = await api.handle(
                TaskHTTPRequest(
                    method: "GET", path: "/api/stats", query: [URLQueryItem(name: "window", value: window)],
                    caller: .user("root", roles: ["admin"])))
            #expect(bad.status == 400, "window \(window)")
        }
    }
}
