import Foundation
import Taskworks
import TaskworksHTTP
import TaskworksTesting
import Testing
import UserExportPlugin

/// `POST /users/export`, contributed by the plugin: served by any `TaskHTTPAPI` over a registry
/// the plugin is installed in, checking `authorization:user:export`.
@Suite("User export route")
struct UserExportRouteTests {
    static func api() throws -> TaskHTTPAPI {
        let registry = TaskRegistry()
        try registry.install(UserExportPlugin(directory: SampleUserDirectory(count: 10)))
        var configuration = TaskService.Configuration()
        configuration.authorization = RoleBasedTaskPolicy(roles: [
            "operator": .init(permissions: [.list, .view, UserExportPlugin.exportPermission]),
            "viewer": .init(permissions: [.list, .view]),
        ])
        let service = TaskService(
            store: InMemoryTaskStore(), registry: registry, configuration: configuration)
        return TaskHTTPAPI(service: service)
    }

    static func post(_ api: TaskHTTPAPI, _ body: String, as caller: Caller?) async -> TaskHTTPResponse {
        await api.handle(
            TaskHTTPRequest(
                method: "POST", path: "/api/users/export", headers: ["Content-Type": "application/json"],
                body: Array(body.utf8), caller: caller))
    }

    @Test(arguments: [
        (Caller.user("ann", roles: ["operator"]), #"{"status":"active"}"#, 201),
        (Caller.user("ann", roles: ["operator"]), "", 201),
        (Caller.user("vic", roles: ["viewer"]), #"{"status":"active"}"#, 403),
        (Caller.user("nia"), "{}", 403),
        (Caller.admin("root"), "{}", 201),
        (Caller.user("ann", roles: ["operator"]), #"{"stauts":"active"}"#, 400),
        (Caller.user("ann", roles: ["operator"]), #"{"status":"gone"}"#, 400),
        (Caller.user("ann", roles: ["operator"]), #"{"status":"active","status":"locked"}"#, 400),
    ])
    func theRouteChecksItsPermissionAndItsBody(caller: Caller, body: String, status: Int) async throws {
        let api = try UserExportRouteTests.api()
        let response = await UserExportRouteTests.post(api, body, as: caller)
        #expect(response.status == status, "\(response.jsonText ?? "")")
        let total = try await api.service.counts(for: .system).total
        #expect(total == (status == 201 ? 1 : 0))
        if status == 201 {
            let task = try await response.collectJSON()
            #expect(task["type"]?.stringValue == UserExportPlugin.taskType)
            #expect(task["createdBy"]?.stringValue == caller.creatorID)
        }
    }

    @Test func theRouteIsServedAndDocumented() async throws {
        let api = try UserExportRouteTests.api()
        #expect(api.routeTemplates.contains("POST /users/export"))
        #expect(await UserExportRouteTests.post(api, "{}", as: nil).status == 401)
        let wrongMethod = await api.handle(
            TaskHTTPRequest(method: "GET", path: "/api/users/export", caller: .system))
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["Allow"] == "POST")
        let document = await api.handle(
            TaskHTTPRequest(method: "GET", path: "/api/openapi.json", caller: nil))
        let paths = try await document.collectJSON()["paths"]
        #expect(paths?["/users/export"]?["post"]?["operationId"]?.stringValue == "exportUsers")
    }

    @Test func aPluginMayNotTakeTaskworksPathsOrARouteTwice() throws {
        struct Squatter: TaskPlugin {
            let path: String
            func register(into registry: TaskRegistry) throws {}
            var httpRoutes: [TaskHTTPRoute] {
                [TaskHTTPRoute("GET", path) { _ in TaskHTTPResponse(status: 200) }]
            }
        }
        let registry = TaskRegistry()
        #expect(throws: TaskworksError.self) { try registry.install(Squatter(path: "/tasks/mine")) }
        #expect(throws: TaskworksError.self) { try registry.install(Squatter(path: "no-slash")) }
        try registry.install(Squatter(path: "/reports"))
        #expect(throws: TaskworksError.self) { try registry.install(Squatter(path: "/reports")) }
        #expect(registry.httpRoutes.count == 1)
    }
}
