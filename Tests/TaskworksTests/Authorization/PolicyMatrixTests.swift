import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks
@testable import TaskworksHTTP

/// Every operation × every role × the caller's own task or another creator's, through the HTTP
/// API (and so through the service): allowed is 2xx, refused on a visible task is 403, and another
/// creator's task is 404 unless the role sees every task.
@Suite("Policy matrix")
struct PolicyMatrixTests {
    enum Role: String, CaseIterable, Sendable {
        case admin, `operator`, viewer, none
    }

    enum Owner: String, CaseIterable, Sendable {
        case own, other
    }

    enum Operation: String, CaseIterable, Sendable {
        case list, view, cancel, retry, delete, pause, resume, download, link, create, pauseType
        case runSchedule, viewSettings, changeSettings

        var isOnATask: Bool {
            ![.list, .create, .pauseType, .runSchedule, .viewSettings, .changeSettings].contains(self)
        }
    }

    /// The role table under test, as a host would write it.
    static let policy = RoleBasedTaskPolicy(roles: [
        "admin": .init(permissions: RoleBasedTaskPolicy.everyTaskPermission, seesEveryTask: true),
        "operator": .init(permissions: [.list, .view, .cancel, .retry, .pause, .download, .create]),
        "viewer": .init(permissions: [.list, .view, .download]),
    ])

    /// What each role may do, written out (not derived from the policy).
    static let allowed: [Role: Set<Operation>] = [
        .admin: Set(Operation.allCases),
        .operator: [.list, .view, .cancel, .retry, .pause, .resume, .download, .link, .create],
        .viewer: [.list, .view, .download, .link],
        .none: [],
    ]

    struct World {
        let api: TaskHTTPAPI
        let pending: TaskRecord
        let failed: TaskRecord
        let paused: TaskRecord
        let report: TaskRecord
    }

    static func world(owner: String) async throws -> World {
        let clock = ManualTaskClock(Date(timeIntervalSince1970: 1_800_000_000))
        let artifacts = try LocalDirectoryArtifactStore(directory: TemporaryDirectory.make().path)
        var configuration = TaskService.Configuration()
        configuration.authorization = policy
        let service = TaskService(
            store: InMemoryTaskStore(), registry: try Sample.registry(), artifacts: artifacts, clock: clock,
            configuration: configuration)
        // An admin caller may create anything; the task's creator is its id.
        let creator = Caller.admin(owner)
        func make(_ change: @escaping @Sendable (inout TaskRecord) -> Void) async throws -> TaskRecord {
            let task = try await service.create("noop", createdBy: creator)
            return try await service.store.force(task.id) { change(&$0) }
        }
        let pending = try await make { _ in }
        let failed = try await make { $0.status = .failed }
        let paused = try await make { $0.status = .paused }
        let key = ArtifactKey(for: TaskID())
        _ = try await artifacts.write(key) { try await $0.write("a,b\r\n") }
        let report = try await make {
            $0.status = .succeeded
            $0.artifact = try? TaskArtifact(key: key.rawValue, fileName: "r.csv", contentType: "text/csv")
        }
        return World(
            api: try TaskHTTPAPITests.api(over: service), pending: pending, failed: failed, paused: paused,
            report: report)
    }

    static func request(_ operation: Operation, in world: World, caller: Caller) -> TaskHTTPRequest {
        func post(_ path: String, _ body: String = "") -> TaskHTTPRequest {
            .sent(method: "POST", path: "/api" + path, body: Array(body.utf8), caller: caller)
        }
        func get(_ path: String) -> TaskHTTPRequest {
            .sent(method: "GET", path: "/api" + path, caller: caller)
        }
        switch operation {
        case .list: return get("/tasks")
        case .view: return get("/tasks/\(world.pending.id)")
        case .cancel: return post("/tasks/\(world.pending.id)/cancel")
        case .retry: return post("/tasks/\(world.failed.id)/retry")
        case .delete: return .sent(method: "DELETE", path: "/api/tasks/\(world.pending.id)", caller: caller)
        case .pause: return post("/tasks/\(world.pending.id)/pause")
        case .resume: return post("/tasks/\(world.paused.id)/resume")
        case .download: return get("/tasks/\(world.report.id)/artifact")
        case .link: return post("/tasks/\(world.report.id)/artifact/link")
        case .create: return post("/tasks", #"{"type":"noop"}"#)
        case .pauseType: return post("/task-types/noop/pause")
        case .runSchedule: return post("/schedules/nightly/run")
        case .viewSettings: return get("/settings")
        case .changeSettings:
            return .sent(
                method: "PUT", path: "/api/settings", body: Array(#"{"maxConcurrentTasks":2}"#.utf8),
                caller: caller)
        }
    }

    @Test(arguments: Operation.allCases, Role.allCases)
    func eachOperationIsAllowedRefusedOrHiddenAsTheRoleTableSays(operation: Operation, role: Role)
        async throws
    {
        let caller = Caller.user("carol", roles: role == .none ? [] : [role.rawValue])
        for owner in operation.isOnATask ? Owner.allCases : [.own] {
            let world = try await PolicyMatrixTests.world(owner: owner == .own ? "carol" : "dave")
            let response = await world.api.handle(
                PolicyMatrixTests.request(operation, in: world, caller: caller))
            let allowed = PolicyMatrixTests.allowed[role]?.contains(operation) == true
            let expected: ClosedRange<Int>
            if operation.isOnATask, owner == .other, role != .admin {
                expected = 404...404  // hidden, whatever the permission
            } else {
                expected = allowed ? 200...299 : 403...403
            }
            #expect(
                expected.contains(response.status),
                "\(operation) by \(role) on \(owner) task: \(response.status) \(response.jsonText ?? "")")
            if response.status == 403 {
                #expect(response.jsonText?.contains("\"permissionDenied\"") == true)
            }
        }
    }

    @Test func aHiddenTaskAnswersExactlyAsAnUnknownIdEvenWithThePermission() async throws {
        let world = try await PolicyMatrixTests.world(owner: "dave")
        let caller = Caller.user("carol", roles: ["operator"])
        let hidden = await world.api.handle(
            .sent(method: "GET", path: "/api/tasks/\(world.pending.id)", caller: caller))
        let unknown = TaskID()
        let missing = await world.api.handle(
            .sent(method: "GET", path: "/api/tasks/\(unknown)", caller: caller))
        #expect(hidden.status == 404)
        #expect(
            hidden.jsonText?.replacingOccurrences(of: world.pending.id.description, with: "ID")
                == missing.jsonText?.replacingOccurrences(of: unknown.description, with: "ID"))
    }

    @Test func directPermissionsWorkWithoutARole() async throws {
        let world = try await PolicyMatrixTests.world(owner: "carol")
        let caller = Caller.user("carol", permissions: [.list, .view])
        #expect(
            await world.api.handle(PolicyMatrixTests.request(.view, in: world, caller: caller)).status == 200)
        #expect(
            await world.api.handle(PolicyMatrixTests.request(.cancel, in: world, caller: caller)).status
                == 403)
    }

    @Test func theDefaultPolicyKeepsTodaysRules() async throws {
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
        let task = try await service.create("noop", createdBy: .user("alice"))
        #expect(try await service.task(task.id, as: .user("alice")).id == task.id)
        await #expect(throws: TaskworksError.self) { try await service.task(task.id, as: .user("bob")) }
        #expect(try await service.task(task.id, as: .admin("root")).id == task.id)
        let denied = await #expect(throws: TaskworksError.self) {
            try await service.updateSettings(TaskSettings(maxConcurrentTasks: 2), as: .user("alice"))
        }
        #expect(denied?.code == .permissionDenied)
        #expect(
            try await service.updateSettings(TaskSettings(maxConcurrentTasks: 2), as: .admin("root"))
                .maxConcurrentTasks == 2)
    }

    @Test func eventsFollowThePolicysVisibility() async throws {
        var configuration = TaskService.Configuration()
        configuration.authorization = PolicyMatrixTests.policy
        let service = TaskService(
            store: InMemoryTaskStore(), registry: try Sample.registry(), configuration: configuration)
        #expect(throws: TaskworksError.self) { _ = try service.events(for: .user("nobody")) }
        let stream = try service.events(for: .user("carol", roles: ["admin"]))
        _ = try await service.create("noop", createdBy: .system)
        var iterator = stream.makeAsyncIterator()
        let event = await iterator.next()
        #expect(event?.task.createdBy == "system")
    }
}
